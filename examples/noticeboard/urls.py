# SPDX-License-Identifier: AGPL-3.0-or-later
"""The notice board's pages, composed by urls.py from its manifest (``urls`` slot)."""

from django.urls import include, path

from . import views

_pages = [path("<slug:slug>/", views.board, name="board")]
page_patterns = [path("panneau/", include((_pages, "noticeboard")))]
