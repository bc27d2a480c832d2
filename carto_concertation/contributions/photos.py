# SPDX-License-Identifier: AGPL-3.0-or-later
"""Photos of contributions: prepared by core.photos (decoded, bounded, re-encoded
without metadata), stored under a random name, three at most per contribution."""

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from carto_concertation.core.photos import PreparedPhoto, photo_prepare, removed_on_error

from .models import Contribution, ContributionPhoto
from .permissions import author_check
from .selectors import contribution_for_update

MAX_PHOTOS = 3


def photo_store(
    *, contribution: Contribution, prepared: PreparedPhoto, stored: list[str]
) -> ContributionPhoto:
    """Write a prepared photo, inside the caller's transaction."""
    photo = ContributionPhoto(
        contribution=contribution, width=prepared.width, height=prepared.height
    )
    photo.image.save("photo.jpg", ContentFile(prepared.content), save=False)
    stored.append(photo.image.name)
    photo.save()
    return photo


def photo_add(*, contribution: Contribution, user, upload) -> ContributionPhoto:
    """Its author adds a photo to a contribution during the open phase (three at most)."""
    prepared = photo_prepare(upload=upload, field="image")
    with removed_on_error() as stored:
        return _photo_add(contribution=contribution, user=user, prepared=prepared, stored=stored)


@transaction.atomic
def _photo_add(
    *, contribution: Contribution, user, prepared: PreparedPhoto, stored: list[str]
) -> ContributionPhoto:
    # The row lock makes "three at most" hold under parallel uploads.
    locked = contribution_for_update(pk=contribution.pk)
    author_check(contribution=locked, user=user)
    if locked.photos.count() >= MAX_PHOTOS:
        raise ValidationError(
            {"image": _("At most %(max)s photos per contribution.") % {"max": MAX_PHOTOS}}
        )
    return photo_store(contribution=locked, prepared=prepared, stored=stored)


@transaction.atomic
def photo_delete(*, photo: ContributionPhoto, user) -> None:
    """Its author removes a photo during the open phase."""
    locked = contribution_for_update(pk=photo.contribution_id)
    author_check(contribution=locked, user=user)
    name = photo.image.name
    photo.delete()
    transaction.on_commit(lambda: default_storage.delete(name))
