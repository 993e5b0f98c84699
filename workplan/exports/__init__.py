"""Writing tables to files people open in spreadsheet programs (CSV, XLSX)."""
