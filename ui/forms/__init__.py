"""Schema-driven form widgets."""
