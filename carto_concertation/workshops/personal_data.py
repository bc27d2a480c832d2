# SPDX-License-Identifier: AGPL-3.0-or-later
"""The workshops module's section of “download my data” (declared in its manifest).

A relay's workshops: those they planned, without the facilitator's name or the notes
(which may name others), and the ideas they typed in, without the participant.
"""

from carto_concertation.accounts.export import ExportSection, iso, located_section

from .models import Workshop, WorkshopCapture


def workshops_section(user) -> ExportSection:
    planned = (
        Workshop.objects.filter(created_by=user)
        .select_related("commune", "concertation")
        .order_by("created_at", "pk")
    )
    captured = located_section(
        "captured",
        WorkshopCapture.objects.filter(captured_by=user).select_related(
            "contribution__concertation"
        ),
        lambda c: {
            "workshop": c.workshop_id,
            # The idea typed in, by number, title and concertation (as the ideas' sections).
            "contribution": c.contribution_id,
            "contribution_title": c.contribution.title,
            "concertation": c.contribution.concertation.slug,
            "channel": c.channel,
            "created_at": iso(c.created_at),
        },
        geometry="contribution__geom",
    )
    record = {
        "planned": [
            {
                "id": w.pk,
                "concertation": w.concertation.slug,
                "commune": w.commune.insee,
                "starts_at": iso(w.starts_at),
                "place": w.place,
                "created_at": iso(w.created_at),
            }
            for w in planned
        ],
        "captured": captured.records,
    }
    return ExportSection(name="workshops", records=[record], features=captured.features)
