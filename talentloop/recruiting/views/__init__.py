"""Recruiting pages, one module per area."""
