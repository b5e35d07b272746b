"""The movement's pages, one module per area, each with its own `urlpatterns` (collected in movement/urls.py)."""
