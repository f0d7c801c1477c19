"""Performance management: cycles and OKRs (objectives, key results, check-ins). KPI, 360° feedback and
reviews come later (issue #6)."""
