"""The line where a screen tells why an edit did not happen (``UndoStack.run``'s ``report``)."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel

WARN = "color: #B03A2E; font-weight: bold;"


class MessageLine(QLabel):
    """Hidden until a refusal is told; hidden again by the next edit the screen runs."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("message")
        self.setWordWrap(True)
        self.setStyleSheet(WARN)
        self.hide()

    def tell(self, text: str) -> None:
        self.setText("⚠ " + text)
        self.show()
