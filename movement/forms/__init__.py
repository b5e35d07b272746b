"""The movement app's forms, one module per area."""
