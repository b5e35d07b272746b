from django.contrib import admin

from units.admin import ScopedAdminMixin

from .models import Document, NumberRegister


@admin.register(Document)
class DocumentAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["kind", "unit", "as_of", "number", "requested_by", "state", "created_at"]
    list_filter = ["kind", "state"]
    list_select_related = ["unit", "requested_by"]
    readonly_fields = ["state", "progress", "progress_message", "pages", "error", "finished_at", "cancel_requested"]


@admin.register(NumberRegister)
class NumberRegisterAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["issuer", "type_code", "year", "last"]
    list_filter = ["type_code", "year"]
    list_select_related = ["issuer"]
    readonly_fields = ["last"]
