"""Learning: the course catalogue, training recommendations from review gaps, enrolments, development plans."""
