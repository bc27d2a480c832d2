# SPDX-License-Identifier: AGPL-3.0-or-later
"""The addresses of a questionnaire's pages that the listing, the home page, the account
page and the space's page link to. They are the agreed ones (docs/surveys.md: the answering
page, the results, the organisers' pages), built on the list's own address
(``surveys:list``, /consultations/), because other parts of the module own those views."""

from django.urls import reverse


def _base() -> str:
    return reverse("surveys:list")


def questionnaire_url(slug: str) -> str:
    """Where one reads and answers a questionnaire (``surveys:questionnaire``)."""
    return f"{_base()}{slug}/"


def results_url(slug: str) -> str:
    """Its published results (``surveys:results``)."""
    return f"{_base()}{slug}/resultats/"


def manage_url() -> str:
    """The organisers' questionnaires (``surveys:manage``)."""
    return f"{_base()}gestion/"
