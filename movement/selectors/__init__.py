"""Every read of the movement app, already scoped, one module per area."""
