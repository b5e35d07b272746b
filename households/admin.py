"""Admin for the registry's reference data; households and reviews are edited through the registry screens."""

from django.contrib import admin

from units.admin import ScopedAdminMixin
from units.roles import Action

from .models import Household, Indicator, PeriodReopening, PovertyCause, PovertyStandard, ReviewPeriod


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


@admin.register(ReviewPeriod)
class ReviewPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "closes_on"]


@admin.register(PeriodReopening)
class PeriodReopeningAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: reopen through the registry's 'Reopen entry' page so that locked reviews are unlocked too."""

    list_display = ["period", "unit", "until", "by", "at"]
    readonly_fields = ["period", "unit", "until", "reason", "by", "at"]

    def has_add_permission(self, request):
        return False


@admin.register(Household)
class HouseholdAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_action = Action.VIEW_PEOPLE
    list_display = ["code", "village", "archived_at"]
    search_fields = ["code"]
    list_select_related = ["village"]
    readonly_fields = ["province", "village", "code", "address", "archived_at", "archive_reason"]

    def has_add_permission(self, request):
        return False
