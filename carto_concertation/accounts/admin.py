# SPDX-License-Identifier: AGPL-3.0-or-later
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord, RoleAssignment, User
from .services import validate_role_scope


class RoleAssignmentForm(forms.ModelForm):
    class Meta:
        model = RoleAssignment
        fields = ("role", "territory", "communes")

    def clean(self):
        cleaned = super().clean()
        if "role" in cleaned:
            validate_role_scope(
                role=cleaned["role"],
                territory=cleaned.get("territory"),
                communes=cleaned.get("communes") or (),
            )
        return cleaned


class UserCreateForm(BaseUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "pseudonym")


class UserEditForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


class RoleAssignmentInline(admin.TabularInline):
    model = RoleAssignment
    form = RoleAssignmentForm
    extra = 0
    autocomplete_fields = ("territory", "communes")


class ConsentRecordInline(admin.TabularInline):
    """Consents are proof of what a person accepted: shown, never edited."""

    model = ConsentRecord
    extra = 0
    can_delete = False
    fields = readonly_fields = ("version", "accepted_at")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserEditForm
    add_form = UserCreateForm
    ordering = ("email",)
    list_display = ("email", "pseudonym", "is_staff", "is_active", "date_joined")
    search_fields = ("email", "pseudonym")
    fieldsets = (
        (None, {"fields": ("email", "pseudonym", "password")}),
        (_("Permissions"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "pseudonym", "password1", "password2")}),
    )
    inlines = (RoleAssignmentInline, ConsentRecordInline)
