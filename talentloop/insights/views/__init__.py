"""Insights pages; each module exposes `staff_urls`."""
