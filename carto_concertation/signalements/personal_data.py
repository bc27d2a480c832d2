# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' sections of "download my data" (declared in the manifest): the
reports the person filed — with an account, or from one of their confirmed addresses
before they had one — with their places and public history, and the reports they
follow. Whether a report was hidden (a banned sender's) is the services' note, not the
person's data: it is left out, as it is from every page they see. No agent is named."""

from django.db.models import Q, QuerySet

from carto_concertation.accounts.export import ExportSection, iso, located_section

from .models import Report, ReportFollower


def _own_addresses(user) -> list[str]:
    return list(user.emailaddress_set.filter(verified=True).values_list("email", flat=True))


def reports_filed_by(user) -> QuerySet[Report]:
    """With their account, or from a confirmed address of theirs without one."""
    return (
        Report.objects.filter(
            Q(author=user) | Q(author__isnull=True, email__in=_own_addresses(user))
        )
        .select_related("category", "commune", "service")
        .prefetch_related("updates", "photos")
    )


def _report(report: Report) -> dict:
    return {
        "id": report.pk,
        "category": report.category.code,
        "category_name": report.category.name,
        "commune": report.commune.insee if report.commune_id else None,
        "address": report.address,
        "description": report.description,
        "answers": report.answers,
        "email": report.email,
        "public": report.is_public,
        "state": report.state,
        "state_reason": report.state_reason,
        "service": report.service.name if report.service_id else None,
        "source": report.source,
        "photos": [photo.image.name for photo in report.photos.all()],
        "history": [
            {
                "kind": update.kind,
                "state": update.state_after,
                "text": update.text,
                "date": iso(update.created_at),
            }
            for update in report.updates.all()
        ],
        "created_at": iso(report.created_at),
        "confirmed_at": iso(report.confirmed_at),
        "fixed_at": iso(report.fixed_at),
    }


def reports_section(user) -> ExportSection:
    return located_section("signalements", reports_filed_by(user), _report, geometry="geom")


def follows_section(user) -> ExportSection:
    """The reports I follow ("me too"), by number and category, at their place."""
    addresses = _own_addresses(user)
    return located_section(
        "signalements_followed",
        ReportFollower.objects.filter(
            Q(user=user) | Q(user__isnull=True, email__in=addresses)
        ).select_related("report__category"),
        lambda follow: {
            "report": follow.report_id,
            "category_name": follow.report.category.name,
            "state": follow.report.state,
            "since": iso(follow.created_at),
        },
        geometry="report__geom",
    )
