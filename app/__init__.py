"""Loket domain and storage: pure Python, never imports Qt, shared by the app and the server."""
