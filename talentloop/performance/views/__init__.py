"""Performance pages, one module per area; each exposes `staff_urls` (and feedback also `public_urls`)."""
