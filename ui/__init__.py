"""Loket desktop user interface (PySide6 only)."""
