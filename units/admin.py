"""Django admin for units, users and memberships; every list is narrowed by the access policy."""

import json
from datetime import timedelta

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.contrib.auth.models import Group
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from pghistory.admin import EventsAdmin
from pghistory.admin.core import EventModelFilter, LabelFilter, MethodFilter, ModelFilter, ObjFilter

from common.text import MAX_COMMENT_LENGTH, TOO_LONG, validate_safe_text

from . import policy, selectors
from .models import Membership, Unit, UnitName
from .roles import Action

admin.site.site_header = _("For the poor — administration")
admin.site.site_title = _("For the poor — administration")
admin.site.index_title = _("Units, households, imports and settings")


class ScopedAdminMixin:
    """Admin pages see only rows inside the signed-in user's scope (the model's `scope_path`); `scope_action` is
    what the rows need (VIEW_PEOPLE for personal data)."""

    scope_action = Action.VIEW

    def get_queryset(self, request):
        return policy.restrict(request.user, super().get_queryset(request), action=self.scope_action)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = policy.visible_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class SuperuserOnlyAdminMixin:
    """Pages that show raw rows of every unit (history rows, import rows with names and CCCDs) or that grant
    permissions: superusers only; the product's own pages serve everyone else, through the scope policy."""

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser and super().has_delete_permission(request, obj)

    def has_add_permission(self, request, *args):
        return request.user.is_superuser and super().has_add_permission(request, *args)


admin.site.unregister(Group)


@admin.register(Group)
class SuperuserGroupAdmin(SuperuserOnlyAdminMixin, GroupAdmin):
    """A group carries permissions: only a superuser grants them."""


class SafeTextAdminMixin:
    """Every text field of the form refuses invisible and control characters; notes are as long as comments."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if isinstance(formfield, forms.CharField):
            formfield.validators.append(validate_safe_text)
            if isinstance(db_field, models.TextField):
                formfield.validators.append(MaxLengthValidator(MAX_COMMENT_LENGTH, message=TOO_LONG))
        return formfield


class UnitNameInline(SafeTextAdminMixin, admin.TabularInline):
    model = UnitName
    extra = 0


class MembershipInline(SafeTextAdminMixin, admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Unit)
class UnitAdmin(SafeTextAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["name", "kind", "category", "code", "parent", "valid_from", "valid_to"]
    list_filter = ["kind", "category"]
    search_fields = ["name", "short_name", "code"]
    autocomplete_fields = ["parent", "successor"]
    readonly_fields = ["path"]
    inlines = [UnitNameInline]


@admin.register(Membership)
class MembershipAdmin(SafeTextAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    list_display = ["user", "role", "unit", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "user__first_name", "user__last_name", "unit__name"]
    autocomplete_fields = ["unit", "user"]
    list_select_related = ["user", "unit"]


class PasswordSetFilter(admin.SimpleListFilter):
    """Accounts still without a password (new, e.g. imported) are the ones that need a password-setting link."""

    title = _("password")
    parameter_name = "has_password"  # UserAdmin refuses any lookup that starts with "password"

    def lookups(self, request, model_admin):
        return [("no", _("not set yet")), ("yes", _("set"))]

    def queryset(self, request, queryset):
        unusable = Q(password__startswith=UNUSABLE_PASSWORD_PREFIX)
        if self.value() == "no":
            return queryset.filter(unusable)
        if self.value() == "yes":
            return queryset.exclude(unusable)
        return queryset


@admin.register(get_user_model())
class ScopedUserAdmin(SafeTextAdminMixin, UserAdmin):
    inlines = [MembershipInline]
    actions = ["password_links"]
    list_display = ["username", "full_name", "roles", "password_set", "is_active", "last_login"]
    list_filter = [PasswordSetFilter, "memberships__role", "is_active", "is_staff", "is_superuser"]
    # Only a superuser grants or withdraws rights to the admin and permissions.
    rights_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return fields if request.user.is_superuser else (*fields, *self.rights_fields)

    def has_change_permission(self, request, obj=None):
        """A non-superuser changes (password included) only accounts he may administer: never a superuser's, nor
        one with a role outside his MANAGE scope (policy.manageable_users)."""
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or request.user.is_superuser:
            return True
        return policy.manageable_users(request.user, type(obj).objects.filter(pk=obj.pk)).exists()

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self.has_change_permission(request, obj)

    def get_queryset(self, request):
        users = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", Membership.objects.select_related("unit").order_by("unit__path")))
        )
        if request.user.is_superuser:
            return users
        in_scope = policy.restrict(request.user, Membership.objects.all())
        return users.filter(pk__in=in_scope.values("user_id"), is_superuser=False).distinct()

    @admin.display(description=_("full name"), ordering="last_name")
    def full_name(self, user):
        return user.get_full_name()

    @admin.display(description=_("roles"))
    def roles(self, user):
        return "; ".join(f"{m.get_role_display()} — {m.unit.name}" for m in user.memberships.all())

    @admin.display(description=_("password set"), boolean=True)
    def password_set(self, user):
        return user.has_usable_password()

    @admin.action(description=_("Make password-setting links for the selected users"))
    def password_links(self, request, queryset):
        links = selectors.password_links(request.user, queryset)
        left_out = queryset.count() - len(links)
        if left_out:
            messages.warning(
                request,
                ngettext(
                    "%(n)s account is left out: it also works outside your area, has no role or is a superuser.",
                    "%(n)s accounts are left out: they also work outside your area, have no role or are superusers.",
                    left_out,
                )
                % {"n": left_out},
            )
        if not links:
            return None
        expires = timezone.now() + timedelta(seconds=settings.PASSWORD_RESET_TIMEOUT)
        sheets = []
        for link in links:
            url = request.build_absolute_uri(link.path)
            qr = segno.make(url, error="m").svg_inline(scale=3, border=2)  # only the URL goes in, as QR modules
            sheets.append({"user": link.user, "url": url, "qr": mark_safe(qr)})
        context = {"sheets": sheets, "expires": expires}
        response = TemplateResponse(request, "units/password_links.html", context)
        add_never_cache_headers(response)  # the links are as good as passwords: no cached copy anywhere
        return response


# pghistory's filters are titled in plain English; the same filters under translatable titles.
_EVENT_FILTERS = {
    base: type(base.__name__, (base,), {"title": title})
    for base, title in [
        (LabelFilter, _("action")),
        (EventModelFilter, _("record type")),
        (MethodFilter, _("relation")),
        (ObjFilter, _("record")),
        (ModelFilter, _("model")),
    ]
}


class HistoryEventsAdmin(SuperuserOnlyAdminMixin, EventsAdmin):
    """pghistory's page of events across every tracked table (PGHISTORY_ADMIN_CLASS): every household's raw rows,
    so for superusers only; with translatable column and filter names (the package names them from its field
    names, in English)."""

    def get_list_display(self, request):
        return ["time", "record_type", "record_id", "changes"]

    def get_list_filter(self, request):
        return [_EVENT_FILTERS.get(list_filter, list_filter) for list_filter in super().get_list_filter(request)]

    @admin.display(description=_("time"), ordering="pgh_created_at")
    def time(self, event):
        return event.pgh_created_at

    @admin.display(description=_("record type"))
    def record_type(self, event):
        return event.pgh_obj_model

    @admin.display(description=_("record"))
    def record_id(self, event):
        return event.pgh_obj_id

    @admin.display(description=_("changes"))
    def changes(self, event):
        return json.dumps(event.pgh_diff, ensure_ascii=False) if event.pgh_diff else "—"
