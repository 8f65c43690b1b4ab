"""A ReportLab canvas that also keeps each page's drawing operators, so a GUI can paint the
very sheet the PDF holds (Qt's printer, print preview) without a PDF renderer.

Import only when making a PDF: it loads ReportLab.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

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
