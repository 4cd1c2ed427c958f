"""Outpost side of sync: outbox, uploads, status pull."""
