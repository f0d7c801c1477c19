"""Writes of the recruiting capability."""
