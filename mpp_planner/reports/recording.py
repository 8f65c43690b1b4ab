"""A ReportLab canvas that also keeps each page's drawing operators, so a GUI can paint the
very sheet the PDF holds (Qt's printer, print preview) without a PDF renderer.

Import only when making a PDF: it loads ReportLab.
"""

from __future__ import annotations

import re
import tempfile
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from reportlab.pdfgen.canvas import Canvas

_DO_RE = re.compile(r"/(\S+) Do")


@dataclass
class RecordedPage:
    width: float  # points
    height: float
    stream: str  # the page's PDF content operators, as ReportLab wrote them
    fonts: dict[str, str] = field(default_factory=dict)  # resource name ("F1") -> font name ("Helvetica")
    images: dict[str, object] = field(default_factory=dict)  # XObject name -> ImageReader or file name


class RecordingCanvas(Canvas):
    """Writes the PDF as usual and appends a :class:`RecordedPage` to ``self.recorded`` per page."""

    def __init__(self, *args, **kw):
        super().__init__(*args, **kw)
        self.recorded: list[RecordedPage] = []
        self._images: dict[str, object] = {}

    def drawImage(self, image, x, y, width=None, height=None, *args, **kw):  # noqa: N802 - ReportLab's name
        result = super().drawImage(image, x, y, width, height, *args, **kw)
        for code in reversed(self._code):
            match = _DO_RE.search(code)
            if match:
                self._images[match.group(1)] = image
                break
        return result

    def showPage(self):  # noqa: N802 - ReportLab's name
        fonts = {ref.lstrip("/"): name for name, ref in self._doc.fontMapping.items()}
        stream = "\n".join([self._preamble, *self._code])
        self.recorded.append(RecordedPage(float(self._pagesize[0]), float(self._pagesize[1]), stream, fonts,
                                          dict(self._images)))
        super().showPage()


#: the pages of the PDF being written in this thread of control, while :func:`record_pages` runs
_COLLECTING: ContextVar[list[RecordedPage] | None] = ContextVar("mpp_recorded_pages", default=None)


class CollectingCanvas(RecordingCanvas):
    """A recording canvas whose pages also go to the list :func:`record_pages` collects."""

    def showPage(self):  # noqa: N802 - ReportLab's name
        super().showPage()
        pages = _COLLECTING.get()
        if pages is not None:
            pages.append(self.recorded[-1])


def canvas_class(default: type = Canvas) -> type:
    """The canvas class a PDF writer should use: ``default``, or the collecting one inside :func:`record_pages`."""
    return CollectingCanvas if _COLLECTING.get() is not None else default


def record_pages(write: Callable[[Path], Any]) -> list[RecordedPage]:
    """Run ``write(path)`` (any of the sheet writers, PDF format) on a scratch file and return its pages as
    drawing operators, for printing from the GUI: the printed sheet is the very PDF the export makes.
    The writers build through :class:`reports.pdf.SheetDoc` (or ask :func:`canvas_class`), which picks the
    collecting canvas up here; the context variable keeps concurrent jobs apart."""
    pages: list[RecordedPage] = []
    token = _COLLECTING.set(pages)
    try:
        with tempfile.TemporaryDirectory(prefix="mpp-print-") as tmp:
            write(Path(tmp) / "sheet.pdf")
    finally:
        _COLLECTING.reset(token)
    return pages
