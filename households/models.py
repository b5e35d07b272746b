"""Households, members, poverty standards and yearly reviews (built in the registry issue)."""
