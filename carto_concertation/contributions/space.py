# SPDX-License-Identifier: AGPL-3.0-or-later
"""What the ideas module adds to a space that holds it (core.modules: ``space_settings``,
``space_entry``): its settings in the space's public description, its entry on the
space's page."""

from collections.abc import Mapping
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from .models import IdeasSettings
from .selectors import ideas_settings_of


class IdeasSpaceSettingsSerializer(serializers.ModelSerializer):
    """The ideas' settings in the concertation's public description (and its schema)."""

    class Meta:
        model = IdeasSettings
        fields = ("accepted_geometries", "moderation", "vote_mode", "duplicate_distance_m")


def ideas_space_settings(concertation) -> Mapping[str, Any]:
    """The keys the concertation's API has always carried, from the ideas' settings."""
    try:
        settings = ideas_settings_of(concertation)
    except IdeasSettings.DoesNotExist:
        return {}
    return IdeasSpaceSettingsSerializer(settings).data


def ideas_space_entry(concertation) -> tuple[str, str]:
    """The ideas' map is the concertation's page itself: its entry points to the map."""
    return _("Ideas on the map"), reverse("concertation", args=[concertation.slug]) + "#map"
