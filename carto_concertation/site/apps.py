# SPDX-License-Identifier: AGPL-3.0-or-later
from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The composition root's app: the home page and load_demo, which put the backbone and
    the registered spaces and modules together (core.modules.composed()); urls.py is its
    sibling. It imports the backbone and names no participation module."""

    name = "carto_concertation.site"
    label = "site"
