# SPDX-License-Identifier: AGPL-3.0-or-later
"""The addresses of a questionnaire's pages that the listing, the home page, the account
page and the space's page link to."""

from django.urls import reverse


def questionnaire_url(slug: str) -> str:
    """Where one reads and answers a questionnaire."""
    return reverse("surveys:questionnaire", args=[slug])


def results_url(slug: str) -> str:
    """Its published results."""
    return reverse("surveys:results", args=[slug])


def manage_url() -> str:
    """The organisers' questionnaires."""
    return reverse("surveys:manage")
