"""Admin of the awards catalogue: award types with their dated bonus multiples (an unknown multiple is entered
here before a decision in its period can be issued), base salaries, occasions and quotas."""

from django.contrib import admin

from units.admin import SafeTextAdminMixin

from ..models import AwardType, BaseSalary, BonusMultiple, Occasion, Quota


class BonusMultipleInline(SafeTextAdminMixin, admin.TabularInline):
    model = BonusMultiple
    extra = 0


@admin.register(AwardType)
class AwardTypeAdmin(SafeTextAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "nominee_kind", "level", "position", "active"]
    list_filter = ["nominee_kind", "level", "active"]
    search_fields = ["name", "code"]
    inlines = [BonusMultipleInline]


@admin.register(BonusMultiple)
class BonusMultipleAdmin(SafeTextAdminMixin, admin.ModelAdmin):
    list_display = ["award_type", "valid_from", "multiple", "basis"]
    list_filter = ["award_type"]


@admin.register(BaseSalary)
class BaseSalaryAdmin(SafeTextAdminMixin, admin.ModelAdmin):
    list_display = ["valid_from", "amount", "basis"]


class QuotaInline(admin.TabularInline):
    model = Quota
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Occasion)
class OccasionAdmin(SafeTextAdminMixin, admin.ModelAdmin):
    list_display = ["name", "code", "kind", "year", "closes_on", "simplified_dossier"]
    list_filter = ["kind", "year", "movement"]
    search_fields = ["name", "code"]
    inlines = [QuotaInline]
