"""Every write of the movement (one module per area): keyword-only arguments, atomic, validated in Vietnamese."""
