"""PySide6 only: the main window, the plan scene and its tools, table models, dialogs.

Widgets observe the project through :class:`ProjectSignals` and change it only by
pushing commands on the :class:`UndoStack`.
"""
