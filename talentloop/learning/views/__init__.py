"""Learning pages; each module exposes `staff_urls`: catalogue (courses), training (enrolments,
recommendations), plans (development plans)."""
