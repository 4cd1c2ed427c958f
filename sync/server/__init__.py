"""The Dinas intake server."""
