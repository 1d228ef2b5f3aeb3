"""Documents: ReportLab PDFs and openpyxl workbooks. Plain data in, bytes out; no database."""
