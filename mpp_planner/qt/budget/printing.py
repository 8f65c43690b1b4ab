"""Printing the budget request sheet: the pages of the very PDF ReportLab makes, painted with
QPainter on a QPrinter (print dialog, print preview, or a PDF file in tests).

PySide6-Essentials has no QtPdf, so the PDF is not rendered from its bytes: the sheet is built
with a recording canvas (``reports.recording``) and each page's content operators are replayed
here — paths, fills, strokes, text and images, the subset ReportLab writes. Text is drawn as
text (searchable when printed to PDF), each run stretched to its width in the PDF's font
metrics so lines and columns land where the PDF has them, whatever font Qt substitutes.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QImage, QPainter, QPainterPath, QPen, QTransform

from mpp_planner.i18n import _

_DELIMS = set("()<>[]{}/%")
_WS = set(" \t\r\n\f\0")

FAMILIES = {
    "Helvetica": ["Helvetica", "Arial", "Liberation Sans", "Nimbus Sans", "DejaVu Sans"],
    "Times": ["Times New Roman", "Times", "Liberation Serif", "Nimbus Roman", "DejaVu Serif"],
    "Courier": ["Courier New", "Courier", "Liberation Mono", "Nimbus Mono PS", "DejaVu Sans Mono"],
}
PIXEL = 100  # fonts are laid out at 100 px and scaled down by the text matrix


def tokens(stream: str):
    """PDF content-stream tokens: ('num', float) ('name', str) ('str', bytes) ('[',) (']',) ('op', str)."""
    i, n = 0, len(stream)
    while i < n:
        c = stream[i]
        if c in _WS:
            i += 1
        elif c == "%":
            while i < n and stream[i] not in "\r\n":
                i += 1
        elif c == "(":
            i, data = _literal(stream, i + 1)
            yield ("str", data)
        elif c == "<":
            if stream.startswith("<<", i):
                yield ("op", "<<")
                i += 2
            else:
                end = stream.index(">", i)
                hexdigits = "".join(stream[i + 1:end].split())
                if len(hexdigits) % 2:
                    hexdigits += "0"
                yield ("str", bytes.fromhex(hexdigits))
                i = end + 1
        elif c == ">":
            yield ("op", ">>")
            i += 2
        elif c in "[]":
            yield (c,)
            i += 1
        elif c == "/":
            j = i + 1
            while j < n and stream[j] not in _WS and stream[j] not in _DELIMS:
                j += 1
            yield ("name", stream[i + 1:j])
            i = j
        else:
            j = i
            while j < n and stream[j] not in _WS and stream[j] not in _DELIMS:
                j += 1
            if j == i:  # a stray delimiter such as '{'
                j += 1
            word = stream[i:j]
            i = j
            try:
                yield ("num", float(word))
            except ValueError:
                yield ("op", word)


_ESC = {"n": 10, "r": 13, "t": 9, "b": 8, "f": 12, "(": 40, ")": 41, "\\": 92}


def _literal(s: str, i: int) -> tuple[int, bytes]:
    out = bytearray()
    depth = 1
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 1
            e = s[i] if i < n else ""
            if e in _ESC:
                out.append(_ESC[e])
                i += 1
            elif e.isdigit():
                j = i
                while j < n and j < i + 3 and s[j] in "01234567":
                    j += 1
                out.append(int(s[i:j], 8) & 0xFF)
                i = j
            elif e in "\r\n":
                i += 1
                if e == "\r" and i < n and s[i] == "\n":
                    i += 1
            else:
                i += 1
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i + 1, bytes(out)
        out.append(ord(c) & 0xFF)
        i += 1
    return i, bytes(out)


class _State:
    __slots__ = ("ctm", "fill", "stroke", "width", "cap", "join", "dash", "font", "size", "tc", "tw", "tz", "tl",
                 "rise", "mode")

    def __init__(self):
        self.ctm = QTransform()
        self.fill = QColor(0, 0, 0)
        self.stroke = QColor(0, 0, 0)
        self.width = 1.0
        self.cap = Qt.FlatCap
        self.join = Qt.MiterJoin
        self.dash: list[float] = []
        self.font = ""
        self.size = 12.0
        self.tc = self.tw = 0.0
        self.tz = 100.0
        self.tl = 0.0
        self.rise = 0.0
        self.mode = 0

    def copy(self) -> "_State":
        other = _State.__new__(_State)
        for k in self.__slots__:
            setattr(other, k, getattr(self, k))
        other.dash = list(self.dash)
        return other


def _qfont(base: str) -> QFont:
    family = "Helvetica"
    if base.startswith("Times"):
        family = "Times"
    elif base.startswith("Courier"):
        family = "Courier"
    font = QFont()
    font.setFamilies(FAMILIES[family])
    font.setPixelSize(PIXEL)
    font.setBold("Bold" in base)
    font.setItalic("Oblique" in base or "Italic" in base)
    font.setHintingPreference(QFont.PreferNoHinting)
    font.setKerning(False)
    if hasattr(font, "setFeature"):  # Qt >= 6.6: no "fi" ligatures, glyphs match the PDF's text
        for tag in ("liga", "clig"):
            font.setFeature(QFont.Tag(tag), 0)
    return font


def _afm_widths(base: str) -> list[float] | None:
    try:
        from reportlab.pdfbase import pdfmetrics

        return [w / 1000 for w in pdfmetrics.getFont(base).widths]
    except Exception:  # noqa: BLE001 - an unknown font just keeps Qt's widths
        return None


def _qimage(image) -> QImage:
    if isinstance(image, str):
        return QImage(image)
    if hasattr(image, "getRGBData"):
        w, h = image.getSize()
        data = image.getRGBData()
        return QImage(data, w, h, 3 * w, QImage.Format_RGB888).copy()
    if hasattr(image, "read"):
        image.seek(0)
        return QImage.fromData(image.read())
    return QImage()


class PagePainter:
    """Replays recorded pages onto a QPainter; one call per page with the page's target rect."""

    def __init__(self):
        self._fonts: dict[str, QFont] = {}
        self._metrics: dict[str, QFontMetricsF] = {}
        self._afm: dict[str, list[float] | None] = {}

    def paint(self, painter: QPainter, page, target: QRectF) -> None:
        """Draw ``page`` (points, y up) scaled into ``target`` (device coordinates)."""
        scale = min(target.width() / page.width, target.height() / page.height)
        base = QTransform(scale, 0, 0, -scale, target.left(), target.top() + page.height * scale)
        painter.save()
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        try:
            self._run(painter, page, base)
        finally:
            painter.restore()

    def _run(self, painter: QPainter, page, base: QTransform) -> None:
        gs = _State()
        stack: list[_State] = []
        ops: list = []
        path = QPainterPath()
        clip_rule = None
        tm = QTransform()
        tlm = QTransform()
        array: list | None = None
        for tok in tokens(page.stream):
            kind = tok[0]
            if kind == "[":
                array = []
                continue
            if kind == "]":
                ops.append(array or [])
                array = None
                continue
            if kind != "op":
                (array if array is not None else ops).append(tok[1])
                continue
            op = tok[1]
            a = ops
            ops = []
            try:
                if op == "q":
                    stack.append(gs.copy())
                    painter.save()
                elif op == "Q":
                    if stack:
                        gs = stack.pop()
                        painter.restore()
                elif op == "cm":
                    gs.ctm = QTransform(*a[:6]) * gs.ctm
                elif op == "w":
                    gs.width = a[0]
                elif op == "J":
                    gs.cap = (Qt.FlatCap, Qt.RoundCap, Qt.SquareCap)[int(a[0]) % 3]
                elif op == "j":
                    gs.join = (Qt.MiterJoin, Qt.RoundJoin, Qt.BevelJoin)[int(a[0]) % 3]
                elif op == "d":
                    gs.dash = [float(x) for x in a[0]] if a and isinstance(a[0], list) else []
                elif op in ("rg", "RG", "g", "G", "k", "K", "sc", "SC", "scn", "SCN"):
                    colour = _colour([x for x in a if isinstance(x, float)])
                    if op in ("rg", "g", "k", "sc", "scn"):
                        gs.fill = colour
                    else:
                        gs.stroke = colour
                elif op == "m":
                    path.moveTo(a[0], a[1])
                elif op == "l":
                    path.lineTo(a[0], a[1])
                elif op == "c":
                    path.cubicTo(a[0], a[1], a[2], a[3], a[4], a[5])
                elif op == "v":
                    cur = path.currentPosition()
                    path.cubicTo(cur.x(), cur.y(), a[0], a[1], a[2], a[3])
                elif op == "y":
                    path.cubicTo(a[0], a[1], a[2], a[3], a[2], a[3])
                elif op == "h":
                    path.closeSubpath()
                elif op == "re":
                    path.addRect(QRectF(a[0], a[1], a[2], a[3]))
                elif op in ("S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "n"):
                    if op in ("s", "b", "b*"):
                        path.closeSubpath()
                    painter.setTransform(gs.ctm * base)
                    if op in ("f", "F", "f*", "B", "B*", "b", "b*"):
                        path.setFillRule(Qt.OddEvenFill if op.endswith("*") else Qt.WindingFill)
                        painter.fillPath(path, QBrush(gs.fill))
                    if op in ("S", "s", "B", "B*", "b", "b*"):
                        painter.strokePath(path, self._pen(gs))
                    if clip_rule is not None:
                        path.setFillRule(clip_rule)
                        painter.setClipPath(path, Qt.IntersectClip)
                        clip_rule = None
                    path = QPainterPath()
                elif op in ("W", "W*"):
                    clip_rule = Qt.OddEvenFill if op == "W*" else Qt.WindingFill
                elif op == "BT":
                    tm = QTransform()
                    tlm = QTransform()
                elif op == "Tf":
                    gs.font = page.fonts.get(a[0], a[0])
                    gs.size = a[1]
                elif op == "Tc":
                    gs.tc = a[0]
                elif op == "Tw":
                    gs.tw = a[0]
                elif op == "Tz":
                    gs.tz = a[0]
                elif op == "TL":
                    gs.tl = a[0]
                elif op == "Ts":
                    gs.rise = a[0]
                elif op == "Tr":
                    gs.mode = int(a[0])
                elif op in ("Td", "TD"):
                    if op == "TD":
                        gs.tl = -a[1]
                    tlm = QTransform(1, 0, 0, 1, a[0], a[1]) * tlm
                    tm = QTransform(tlm)
                elif op == "Tm":
                    tlm = QTransform(*a[:6])
                    tm = QTransform(tlm)
                elif op == "T*":
                    tlm = QTransform(1, 0, 0, 1, 0, -gs.tl) * tlm
                    tm = QTransform(tlm)
                elif op == "Tj":
                    tm = self._show(painter, base, gs, tm, [a[0]])
                elif op == "TJ":
                    tm = self._show(painter, base, gs, tm, a[0])
                elif op in ("'", '"'):
                    if op == '"':
                        gs.tw, gs.tc = a[0], a[1]
                    tlm = QTransform(1, 0, 0, 1, 0, -gs.tl) * tlm
                    tm = QTransform(tlm)
                    tm = self._show(painter, base, gs, tm, [a[-1]])
                elif op == "Do":
                    image = page.images.get(a[0])
                    if image is not None:
                        painter.setTransform(QTransform(1, 0, 0, -1, 0, 1) * gs.ctm * base)
                        painter.drawImage(QRectF(0, 0, 1, 1), _qimage(image))
            except (IndexError, TypeError, ValueError):
                continue  # a malformed operator is skipped, like PDF viewers do

    def _pen(self, gs: _State) -> QPen:
        pen = QPen(gs.stroke)
        pen.setWidthF(gs.width if gs.width > 0 else 0.1)
        pen.setCapStyle(gs.cap)
        pen.setJoinStyle(gs.join)
        if gs.dash and any(gs.dash):
            w = gs.width if gs.width > 0 else 1.0
            pen.setDashPattern([max(d / w, 0.01) for d in gs.dash] + ([gs.dash[0] / w] if len(gs.dash) % 2 else []))
        return pen

    def _font(self, name: str) -> tuple[QFont, QFontMetricsF, list[float] | None]:
        font = self._fonts.get(name)
        if font is None:
            font = self._fonts[name] = _qfont(name)
            self._metrics[name] = QFontMetricsF(font)
            self._afm[name] = _afm_widths(name)
        return font, self._metrics[name], self._afm[name]

    def _show(self, painter: QPainter, base: QTransform, gs: _State, tm: QTransform, items) -> QTransform:
        font, metrics, afm = self._font(gs.font)
        th = gs.tz / 100.0
        for item in items:
            if isinstance(item, float):
                tm = QTransform(1, 0, 0, 1, -item / 1000 * gs.size * th, 0) * tm
                continue
            data = bytes(item)
            text = data.decode("cp1252", errors="replace")
            if afm is not None:
                advance = sum(afm[b] for b in data) * gs.size
            else:
                advance = metrics.horizontalAdvance(text) / PIXEL * gs.size
            spacing = gs.tc * len(data) + gs.tw * data.count(32)
            if gs.mode != 3 and text.strip():
                qt_width = metrics.horizontalAdvance(text) / PIXEL * gs.size
                stretch = advance / qt_width if qt_width > 0 and not math.isclose(advance, 0) else 1.0
                glyph = QTransform(gs.size * th / PIXEL * stretch, 0, 0, -gs.size / PIXEL, 0, gs.rise)
                painter.setTransform(glyph * tm * gs.ctm * base)
                painter.setFont(font)
                painter.setPen(QPen(gs.fill))
                painter.drawText(QPointF(0, 0), text)
            tm = QTransform(1, 0, 0, 1, (advance + spacing) * th, 0) * tm
        return tm


def _colour(values: list[float]) -> QColor:
    def c(v):
        return max(0, min(255, round(v * 255)))

    if len(values) >= 4:
        cy, m, y, k = values[:4]
        return QColor(c((1 - cy) * (1 - k)), c((1 - m) * (1 - k)), c((1 - y) * (1 - k)))
    if len(values) == 3:
        return QColor(c(values[0]), c(values[1]), c(values[2]))
    if values:
        return QColor(c(values[0]), c(values[0]), c(values[0]))
    return QColor(0, 0, 0)


def chosen_pages(printer, count: int) -> list[int]:
    """The 0-based page numbers to paint: the range chosen in the print dialog (1-based, 0 = all), in order."""
    first = printer.fromPage() if hasattr(printer, "fromPage") else 0
    last = printer.toPage() if hasattr(printer, "toPage") else 0
    if first <= 0 and last <= 0:
        return list(range(count))
    first = max(1, first or 1)
    last = min(count, last or count)
    return list(range(first - 1, last))


def print_pages(printer, pages) -> None:
    """Paint ``pages`` on ``printer`` (a QPrinter or any QPagedPaintDevice) as the printer is set up: the paper,
    orientation, page range and copies chosen in the print dialog are honoured, never reset. A page is scaled only
    when the paper differs from the one it was laid out for (centred, aspect kept); callers lay the sheet out again
    for the chosen paper when it is one the sheet supports (see :mod:`mpp_planner.qt.sheet_print`)."""
    if not pages:
        return
    order = chosen_pages(printer, len(pages))
    if not order:
        raise OSError(_("The chosen page range holds no page of this sheet ({n} pages).").format(n=len(pages)))
    copies = 1
    if hasattr(printer, "copyCount") and not printer.supportsMultipleCopies():
        copies = max(1, printer.copyCount())  # the driver cannot make copies: paint them
    collate = printer.collateCopies() if hasattr(printer, "collateCopies") else True
    if collate:
        sequence = [i for _copy in range(copies) for i in order]
    else:
        sequence = [i for i in order for _copy in range(copies)]
    if hasattr(printer, "setFullPage"):
        printer.setFullPage(True)
    painter = QPainter(printer)
    if not painter.isActive():
        raise OSError(_("The printer could not be started."))
    try:
        replay = PagePainter()
        for n, i in enumerate(sequence):
            if n:
                printer.newPage()
            rect = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            page = pages[i]
            scale = min(rect.width() / page.width, rect.height() / page.height)
            w, h = page.width * scale, page.height * scale
            replay.paint(painter, page, QRectF((rect.width() - w) / 2, (rect.height() - h) / 2, w, h))
    finally:
        painter.end()


def QMarginsF0():  # noqa: N802 - a Qt value
    from PySide6.QtCore import QMarginsF

    return QMarginsF(0, 0, 0, 0)
