"""The awards app's admin pages, one module per area."""

from .catalogue import admin as catalogue_admin

__all__ = ["catalogue_admin"]
