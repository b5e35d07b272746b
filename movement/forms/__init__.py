"""The movement's forms, one module per area."""
