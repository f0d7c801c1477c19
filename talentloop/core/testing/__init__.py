"""Test factories and helpers shared by every app's tests (imported by conftest.py, never by product code)."""
