"""Spreadsheets: the readings template (bytes out) and the intake of filled files (bytes in, rows
out). A bad row gets a note, never an exception that loses the file (README, Conventions 5)."""
