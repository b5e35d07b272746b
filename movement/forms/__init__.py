"""The movement's forms (one module per area): they parse input; services decide and write."""
