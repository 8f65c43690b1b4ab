"""Importers: read a CSV or XLSX table, check every row, then apply all rows or none.

``read_table`` handles encodings (UTF-8, UTF-8 with BOM, Windows-1252), delimiters
(comma or semicolon), XLSX, header names in Indonesian or English, and size limits.
Each concrete importer turns rows into a list of changes plus row-level errors; the
changes are applied as one undoable command only when there are no errors.
"""

from mpp_planner.importers.table import ImportRefused, RowError, Table, read_table

__all__ = ["ImportRefused", "RowError", "Table", "read_table"]
