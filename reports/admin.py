from django.contrib import admin

from units.admin import ScopedAdminMixin

from .models import GeneratedDocument


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "unit", "as_of", "requested_by", "status", "created_at"]
    list_filter = ["kind", "status"]
    list_select_related = ["unit", "requested_by"]
    readonly_fields = ["status", "progress", "pages", "error", "finished_at"]
