"""Read-only admin of import jobs: the record of who imported what, under the scope policy; its row errors (names
and CCCDs as read) for superusers only — everyone else reads them on the product's own import pages."""

from django.contrib import admin

from units.admin import SuperuserOnlyAdminMixin

from . import selectors
from .models import ImportJob, ImportRowError, ImportTransition


class TransitionInline(admin.TabularInline):
    model = ImportTransition
    extra = 0
    can_delete = False
    readonly_fields = ("from_state", "to_state", "by", "at", "note")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "kind",
        "unit",
        "original_name",
        "requested_by",
        "created_at",
        "state",
        "total_rows",
        "error_rows",
    )
    list_filter = ("kind", "state")
    search_fields = ("original_name", "unit__name", "requested_by__username")
    inlines = [TransitionInline]

    def get_queryset(self, request):
        jobs = super().get_queryset(request)
        if request.user.is_superuser:
            return jobs
        return jobs.filter(pk__in=selectors.jobs_for(request.user).values("pk"))

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImportRowError)
class ImportRowErrorAdmin(SuperuserOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("job", "row_number", "column", "severity", "message")
    list_filter = ("severity",)
    raw_id_fields = ("job",)

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def has_add_permission(self, request):
        return False
