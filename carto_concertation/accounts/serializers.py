# SPDX-License-Identifier: AGPL-3.0-or-later
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from .selectors import notification_choices, notification_kind_map
from .validators import PSEUDONYM_MAX_LENGTH


# One boolean per kind of e-mail the modules declare (core.modules), by its key. (A
# comment, not a docstring: the API's schema would show it to the map page's users.)
class NotificationsSerializer(serializers.Serializer):
    def get_fields(self) -> dict[str, serializers.Field]:
        return {key: serializers.BooleanField(required=False) for key in notification_kind_map()}


class StrictSerializer(serializers.Serializer):
    """Refuses fields it does not know (a typo or a read-only field is said, not ignored)."""

    def to_internal_value(self, data):
        if isinstance(data, dict):
            unknown = sorted(set(data) - set(self.fields))
            if unknown:
                raise serializers.ValidationError(
                    {name: [_("Unknown or read-only field.")] for name in unknown}
                )
        return super().to_internal_value(data)


class StrictNotificationsSerializer(StrictSerializer, NotificationsSerializer):
    pass


class MeInputSerializer(StrictSerializer):
    pseudonym = serializers.CharField(max_length=PSEUDONYM_MAX_LENGTH, required=False)
    notifications = StrictNotificationsSerializer(required=False)


class MeOutputSerializer(serializers.Serializer):
    pseudonym = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    notifications = NotificationsSerializer()

    @staticmethod
    def of(user, roles) -> dict:
        return {
            "pseudonym": user.pseudonym,
            "roles": sorted(roles),
            "notifications": notification_choices(user=user),
        }
