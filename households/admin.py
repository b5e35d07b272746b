"""Admin for the registry's reference data; households and reviews are edited through the registry screens."""

from django.contrib import admin

from units.admin import ScopedAdminMixin
from units.roles import Action

from .models import Household, Indicator, PovertyCause, PovertyStandard


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


@admin.register(PovertyStandard)
class PovertyStandardAdmin(admin.ModelAdmin):
    list_display = ["name", "first_year", "last_year", "rural_poverty_line", "urban_poverty_line", "confirmed"]
    inlines = [IndicatorInline]


@admin.register(PovertyCause)
class PovertyCauseAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "order"]


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_action = Action.VIEW_PEOPLE
    list_display = ["code", "village", "archived_at"]
    search_fields = ["code"]
    list_select_related = ["village"]
    readonly_fields = ["province", "village", "code", "address", "archived_at", "archive_reason"]

    def has_add_permission(self, request):
        return False
