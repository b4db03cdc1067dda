"""Readings: the checks and their rules, the open period, served meters, manual entry,
consumption, coverage and the export journal."""
