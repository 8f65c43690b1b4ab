"""Printed and exported documents: PDFs (ReportLab), XLSX (openpyxl), CSV.

Pure functions of the project; no Qt. ReportLab and openpyxl are imported inside the
functions that need them, never at start-up.
"""
