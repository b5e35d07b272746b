"""Admin for deadlines (review periods among them), reminder schedules, reopenings, deliveries, the record of
reminders and the mail outbox with each message's delivery state."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from units.admin import SafeTextAdminMixin, ScopedAdminMixin

from . import services
from .models import (
    Deadline,
    Fulfilment,
    OutboxMessage,
    OutboxState,
    ReminderSchedule,
    ReminderSent,
    Reopening,
    ReviewPeriod,
)


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


@admin.register(ReminderSchedule)
class ReminderScheduleAdmin(admin.ModelAdmin):
    """The days on which the deadlines of a kind remind the units that still owe them (validated by the model's
    `clean`: no negative day, none twice, none further than rules.MAX_DAYS)."""

    list_display = ["kind", "days_before", "days_after"]
    fields = ["kind", "days_before", "days_after"]


@admin.register(ReminderSent)
class ReminderSentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["deadline", "unit", "offset", "state", "at"]
    list_filter = ["state", "offset"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """Each mail's delivery state: queued (with its next attempt), sent, or failed with the last error."""

    list_display = ["created", "to", "subject", "state", "attempts", "next_attempt_at", "sent_at", "last_error"]
    list_filter = ["state"]
    search_fields = ["to", "subject"]
    date_hierarchy = "created"
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]
    actions = ["queue_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Queue the failed messages again"), permissions=["view"])
    def queue_again(self, request, queryset):
        count = services.requeue(messages=list(queryset.filter(state=OutboxState.FAILED)))
        self.message_user(
            request,
            ngettext("%(count)d message queued again.", "%(count)d messages queued again.", count) % {"count": count},
            messages.SUCCESS,
        )
