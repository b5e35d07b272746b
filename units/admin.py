"""Django admin for units, users and memberships; every list is narrowed by the access policy."""

from datetime import timedelta

import segno
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Prefetch, Q
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from common.text import MAX_COMMENT_LENGTH, TOO_LONG, validate_safe_text

from . import policy, selectors
from .models import Membership, Unit, UnitName

admin.site.site_header = _("For the poor — administration")
admin.site.site_title = _("For the poor — administration")
admin.site.index_title = _("Units, households, imports and settings")


class ScopedAdminMixin:
    """Admin pages see only rows inside the signed-in user's scope; `scope_path_field` leads to a unit path."""

    scope_path_field = "path"

    def get_queryset(self, request):
        return policy.restrict(request.user, super().get_queryset(request), path_field=self.scope_path_field)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Unit:
            kwargs["queryset"] = policy.visible_units(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    scope_path_field = "unit__path"
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

    def get_queryset(self, request):
        users = (
            super()
            .get_queryset(request)
            .prefetch_related(Prefetch("memberships", Membership.objects.select_related("unit").order_by("unit__path")))
        )
        if request.user.is_superuser:
            return users
        in_scope = policy.restrict(request.user, Membership.objects.all(), path_field="unit__path")
        return users.filter(pk__in=in_scope.values("user_id")).distinct()

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
