"""Benchmarks printed by `make bench` against the budgets in DESIGN.md (never timed tests)."""
