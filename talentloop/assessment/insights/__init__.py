"""Closed-loop statistics: calibration, dashboards, fairness, forecasts, training matches (no Django)."""
