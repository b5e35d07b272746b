"""The movement's selectors, one module per area."""
