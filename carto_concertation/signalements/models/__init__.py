# SPDX-License-Identifier: AGPL-3.0-or-later
"""Signalements: reports about public space, filed on a territory, routed by the
compétences (commune × category → service), answered in public (docs/signalements.md).

A report belongs to its territory, not to a space: the services, the routing and the
Open311 API are the territory's. A space that holds the module shows the territory's
public reports inside its perimeter."""

from .clients import ApiClient, BannedSender
from .reports import Report, ReportFollower, ReportPhoto, ReportUpdate, report_photo_path
from .routing import Category, CategoryQuestion, Route, Service

__all__ = [
    "ApiClient",
    "BannedSender",
    "Category",
    "CategoryQuestion",
    "Report",
    "ReportFollower",
    "ReportPhoto",
    "ReportUpdate",
    "Route",
    "Service",
    "report_photo_path",
]
