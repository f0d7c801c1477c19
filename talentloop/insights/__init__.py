"""Insights: the closed loop's analytics (interview vs performance calibration, question validity, candidate
pool signals), recruiting and talent dashboards, the fairness audit and the demand forecast."""
