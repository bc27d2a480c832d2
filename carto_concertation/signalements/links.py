# SPDX-License-Identifier: AGPL-3.0-or-later
"""The addresses of the module's pages that its slots (space entry, search, account
page, home) point to; the pages themselves are in views/ (residents) and the services'
desk."""

from django.urls import reverse


def space_url(space_slug: str) -> str:
    """The map and list of a space's reports (``signalements:space``)."""
    return reverse("signalements:space", kwargs={"slug": space_slug})


def report_url(report_id: int) -> str:
    """A report's public page (``signalements:report``)."""
    return reverse("signalements:report", args=[report_id])


def desk_url() -> str:
    """The services' dashboard (``signalements:desk``)."""
    return reverse("signalements:desk")
