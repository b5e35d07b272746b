"""Every read of the movement's pages, exports and reports, already scoped through units.policy (one module per
area)."""
