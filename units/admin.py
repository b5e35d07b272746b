"""Django admin for units, users and memberships; every list is narrowed by the access policy."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import policy
from .models import Membership, Unit, UnitName


class ScopedAdminMixin:
    """Admin pages see only rows inside the signed-in user's scope; `scope_path_field` leads to a unit path."""

    scope_path_field = "path"

    def get_queryset(self, request):
        return policy.restrict(request.user, super().get_queryset(request), path_field=self.scope_path_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = policy.visible_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class UnitNameInline(admin.TabularInline):
    model = UnitName
    extra = 0


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "category", "code", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "category"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path"]
    inlines = [UnitNameInline]


@admin.register(Membership)
class MembershipAdmin(ScopedAdminMixin, admin.ModelAdmin):
    scope_path_field = "unit__path"
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["user", "unit"]


@admin.register(get_user_model())
class ScopedUserAdmin(UserAdmin):
    inlines = [MembershipInline]

    def get_queryset(self, request):
        users = super().get_queryset(request)
        if request.user.is_superuser:
            return users
        in_scope = policy.restrict(request.user, Membership.objects.all(), path_field="unit__path")
        return users.filter(pk__in=in_scope.values("user_id")).distinct()
