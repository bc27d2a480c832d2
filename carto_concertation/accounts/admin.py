# SPDX-License-Identifier: AGPL-3.0-or-later
from allauth.mfa.models import Authenticator
from django import forms
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as DjangoGroupAdmin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import BaseUserCreationForm, UserChangeForm
from django.contrib.auth.models import Group, Permission
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .models import ConsentRecord, RoleAssignment, User
from .services import (
    role_given_record,
    role_withdrawn_record,
    staff_status_record,
    validate_role_scope,
)


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
        (_("Dates"), {"fields": ("last_login", "date_joined", "inactivity_warned_at")}),
    )
    # Written by the retention job only (accounts.retention).
    readonly_fields = ("inactivity_warned_at",)
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "pseudonym", "password1", "password2")}),
    )
    inlines = (RoleAssignmentInline, ConsentRecordInline)

    # The admin's change form saves roles and statuses itself: each change goes to the
    # audit journal, in the form's transaction.
    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if change and {"is_staff", "is_superuser"} & set(form.changed_data):
            staff_status_record(user=obj, is_staff=obj.is_staff, is_superuser=obj.is_superuser)

    def save_formset(self, request, form, formset, change) -> None:
        if formset.model is not RoleAssignment:
            return super().save_formset(request, form, formset, change)
        withdrawn = [
            (f.instance.user_id, f.instance.role, f.instance.territory_id)
            for f in formset.deleted_forms
            if f.instance.pk
        ]
        super().save_formset(request, form, formset, change)
        for user_id, role, territory_id in withdrawn:
            role_withdrawn_record(user_id=user_id, role=role, territory_id=territory_id)
        for assignment in formset.new_objects:
            role_given_record(assignment)
        for assignment, _fields in formset.changed_objects:
            role_given_record(assignment, changed=True)


# Django stores the names of the permissions it makes in English ("Can add comment"), in
# the database: the group page names them from their code and the model's French name.
PERMISSION_ACTIONS = {
    "add": pgettext_lazy("permission", "add"),
    "change": pgettext_lazy("permission", "change"),
    "delete": pgettext_lazy("permission", "delete"),
    "view": pgettext_lazy("permission", "view"),
}


def permission_label(permission: Permission) -> str:
    """ "Comptes | utilisateur | modifier", or a permission of its own by its name."""
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or permission.codename != f"{action}_{model._meta.model_name}":
        return f"{content_type} | {gettext(permission.name)}"
    app = model._meta.app_config.verbose_name
    return f"{capfirst(app)} | {model._meta.verbose_name} | {PERMISSION_ACTIONS[action]}"


admin.site.unregister(Group)
# allauth.mfa's admin would show the authenticator apps' secrets: a lost app is removed
# from the administrators' page (/administration/second-facteur/), which shows none.
admin.site.unregister(Authenticator)


@admin.register(Group)
class GroupAdmin(DjangoGroupAdmin):
    def formfield_for_manytomany(self, db_field, request=None, **kwargs):
        field = super().formfield_for_manytomany(db_field, request=request, **kwargs)
        if db_field.name == "permissions":
            field.label_from_instance = permission_label
        return field
