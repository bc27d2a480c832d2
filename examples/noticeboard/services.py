# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.core.changes import tileset_changed_announce
from carto_concertation.core.modules import MapSpace

from .models import Notice
from .tiles import notice_tileset


def notice_post(*, space: MapSpace, author, text: str, location: Point) -> Notice:
    """Pin a notice; its space's tiles follow on commit."""
    if author is None or not author.is_authenticated:
        raise PermissionDenied(_("Sign in to post a notice."))
    errors = {}
    if not text.strip():
        errors["text"] = _("Write the notice.")
    elif len(text) > Notice._meta.get_field("text").max_length:
        errors["text"] = _("A notice holds at most 280 characters.")
    if space.perimeter and not space.perimeter.contains(location):
        errors["location"] = _("Place the notice inside the perimeter of this space.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        notice = Notice.objects.create(
            space_id=space.pk, author=author, text=text, location=location
        )
        tileset_changed_announce(notice_tileset(space.slug))
    return notice
