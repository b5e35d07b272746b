"""Every write of the movement app, one module per area."""
