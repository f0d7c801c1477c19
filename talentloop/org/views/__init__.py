"""HTML pages of the organisation, one module per area."""
