"""Admin for deadlines (review periods among them), reopenings, deliveries and the record of reminders."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from units.admin import SafeTextAdminMixin, ScopedAdminMixin

from .models import Deadline, Fulfilment, ReminderSent, Reopening, ReviewPeriod


@admin.register(Deadline)
class DeadlineAdmin(SafeTextAdminMixin, admin.ModelAdmin):
    list_display = ["label", "kind", "year", "opens_on", "due_on", "action"]
    list_filter = ["kind", "year"]
    autocomplete_fields = ["within", "units"]


@admin.register(ReviewPeriod)
class ReviewPeriodAdmin(admin.ModelAdmin):
    list_display = ["year", "opens_on", "due_on"]
    fields = ["year", "opens_on", "due_on"]


@admin.register(Reopening)
class ReopeningAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: reopen a review period through the registry's 'Reopen entry' page so that locked reviews are
    unlocked too."""

    list_display = ["deadline", "unit", "until", "by", "at"]
    readonly_fields = ["deadline", "unit", "until", "reason", "by", "at"]

    def has_add_permission(self, request):
        return False


@admin.register(Fulfilment)
class FulfilmentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["deadline", "unit", "at", "on_time"]
    autocomplete_fields = ["unit"]

    @admin.display(boolean=True, description=_("on time"))
    def on_time(self, obj):
        return obj.on_time


@admin.register(ReminderSent)
class ReminderSentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["deadline", "unit", "kind", "sent_at"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
