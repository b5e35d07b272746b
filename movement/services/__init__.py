"""The movement's services, one module per area."""
