"""The local store: an encrypted SQLite database (SQLCipher), encrypted blobs, officers, audit trail."""

from app.store.errors import StoreError
from app.store.store import Store

__all__ = ["Store", "StoreError"]
