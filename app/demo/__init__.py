"""Synthetic demo data: made-up families, form answers, document pages and a populated store.

Everything here is invented: names are random combinations, NIK and KK numbers are built to pass the
checks, not taken from anyone. Used by `loket-admin demo`, the `make run` demo data and load tests, and
deterministic for a seed (and a date). Modules: `people` (families), `answers` (facts and form answers per
service), `images` and `pages` (document pages as PNG), `populate` (a store full of applications).
"""
