"""Synthetic Indonesian identity cards with known content (Kartu Keluarga pages and KTP-el fronts), rendered
flat and degraded like phone photos and scans: the card reader's test and bench set, made at test time
from a seed (nothing committed but this code)."""
