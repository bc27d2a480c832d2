# SPDX-License-Identifier: AGPL-3.0-or-later
"""The partner applications of Open311: an administrator issues one, sees its key once (a
message on the next page) and may issue a new one; only the key's SHA-256 is kept."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiClient
from .open311.keys import api_client_issue, api_client_rekey


def _show_key(request, client: ApiClient, key: str) -> None:
    messages.warning(
        request,
        _(
            "The key of “%(name)s”: %(key)s — copy it now and give it to the application: it will not be shown again."
        )
        % {"name": client.name, "key": key},
    )


@admin.register(ApiClient)
class ApiClientAdmin(admin.ModelAdmin):
    list_display = ("name", "territory", "contact", "active", "created_at")
    list_filter = ("territory", "active")
    search_fields = ("name", "contact")
    readonly_fields = ("created_at",)
    actions = ["rekey"]

    def get_readonly_fields(self, request, obj=None):
        # The territory of an application is where its key is valid: set once.
        return ("territory", "created_at") if obj else ("created_at",)

    def save_model(self, request, obj, form, change) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        client, key = api_client_issue(
            territory=obj.territory, name=obj.name, contact=obj.contact, active=obj.active
        )
        obj.pk, obj.key_digest, obj.created_at = client.pk, client.key_digest, client.created_at
        obj._state.adding = False
        _show_key(request, client, key)

    @admin.action(description=gettext_lazy("Issue a new key (the old one stops working)"))
    def rekey(self, request, queryset) -> None:
        for client in queryset:
            _show_key(request, client, api_client_rekey(client=client))
