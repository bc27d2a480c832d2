# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' demo (the ``demo`` slot of the manifest), on the demo territory: the
category tree with its questions, a triage service and services of the EPCI and of three
communes with their agents, a routing table for the eleven communes (roads communal in
some, intercommunal in the others), a few dozen reports in every state with their
history, and the module added to the territory's public spaces so that their map shows
them (through core.modules: the module names no space)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.gis.geos import Point
from django.utils import timezone
from django.utils.translation import gettext as _

from carto_concertation.accounts.models import User
from carto_concertation.accounts.services import user_create
from carto_concertation.core.modules import (
    DemoBackbone,
    space_module_add,
    space_public,
    space_slugs_in_territory,
)
from carto_concertation.signalements import MODULE
from carto_concertation.territories.models import Commune, Territory

from ..models import (
    Category,
    CategoryQuestion,
    Report,
    ReportFollower,
    ReportUpdate,
    Route,
    Service,
)
from ..selectors import service_for
from .content import (
    AGENTS,
    CATEGORIES,
    COMMUNE_CATEGORIES,
    COMMUNE_SERVICES,
    EMAIL_REPORTER,
    EPCI_ROAD_CATEGORIES,
    EPCI_ROADS,
    EPCI_WASTE,
    QUESTIONS,
    REPORTS,
    TRIAGE,
    SampleReport,
)

# Reports of one commune stand this far apart (metres), around a point inside it.
SPACING = 250


def signalements_demo(backbone: DemoBackbone) -> str | None:
    """Once, on the demo territory only."""
    territory = backbone.territory
    if territory is None or Category.objects.filter(territory=territory).exists():
        return None
    categories = _categories(territory)
    services = _services(territory, backbone.password)
    communes = {c.insee: c for c in Commune.objects.filter(territory=territory)}
    _routes(communes, categories, services)
    reports = _reports(territory, communes, categories, backbone)
    spaces = _spaces_take_the_module(territory)
    return _(
        "Demo reports: %(reports)s in %(categories)s categories, routed in %(communes)s "
        "communes, on the map of %(spaces)s space(s)"
    ) % {
        "reports": len(reports),
        "categories": len(categories),
        "communes": len(communes),
        "spaces": spaces,
    }


def _categories(territory: Territory) -> dict[str, Category]:
    categories = {}
    for position, (code, name, sla, children) in enumerate(CATEGORIES):
        parent = Category.objects.create(
            territory=territory, code=code, name=name, sla_hours=sla, position=position
        )
        categories[code] = parent
        for child_position, (child_code, child_name, child_sla) in enumerate(children):
            categories[child_code] = Category.objects.create(
                territory=territory,
                parent=parent,
                code=child_code,
                name=child_name,
                sla_hours=child_sla,
                position=child_position,
            )
    CategoryQuestion.objects.bulk_create(
        CategoryQuestion(
            category=categories[category],
            code=code,
            label=label,
            kind=kind,
            choices=choices,
            required=required,
        )
        for category, code, label, kind, choices, required in QUESTIONS
    )
    return categories


def _services(territory: Territory, password: str | None) -> dict[str, Service]:
    """By key: "triage", "roads", "waste" and the INSEE code of each commune's own."""
    services = {
        "triage": Service(territory=territory, name=TRIAGE[0], email=TRIAGE[1], is_triage=True),
        "roads": Service(territory=territory, name=EPCI_ROADS[0], email=EPCI_ROADS[1]),
        "waste": Service(territory=territory, name=EPCI_WASTE[0], email=EPCI_WASTE[1]),
    }
    for insee, (name, email) in COMMUNE_SERVICES.items():
        commune = Commune.objects.get(territory=territory, insee=insee)
        services[insee] = Service(territory=territory, commune=commune, name=name, email=email)
    for service in services.values():
        service.save()
    for email, pseudonym, keys in AGENTS:
        agent = User.objects.filter(email=email).first() or user_create(
            email=email,
            pseudonym=pseudonym,
            password=password,
            consent_version=settings.CONSENT_VERSION,
        )
        for key in keys:
            services[key].members.add(agent)
    return services


def _routes(
    communes: dict[str, Commune], categories: dict[str, Category], services: dict[str, Service]
) -> None:
    """Routes on the parent categories (they cover the children). A commune with services
    of its own keeps its roads, lights, green spaces and furniture; the others' roads and
    lights are the EPCI's, and their green spaces and furniture go to the triage (no
    route). Waste is the EPCI's everywhere; water has no route yet (the triage)."""
    routes = []
    for insee, commune in communes.items():
        if insee in COMMUNE_SERVICES:
            routes += [(commune, code, services[insee]) for code in COMMUNE_CATEGORIES]
        else:
            routes += [(commune, code, services["roads"]) for code in EPCI_ROAD_CATEGORIES]
        routes.append((commune, "proprete", services["waste"]))
    Route.objects.bulk_create(
        Route(commune=commune, category=categories[code], service=service)
        for commune, code, service in routes
    )


def _place(commune: Commune, n: int) -> Point:
    """The n-th place of a commune: around a point inside it, SPACING apart, inside it."""
    centre = commune.geom.point_on_surface
    for ring in range(n, n + 40):
        dx, dy = (ring % 5 - 2) * SPACING, (ring // 5 % 5 - 2) * SPACING
        point = Point(centre.x + dx, centre.y + dy, srid=commune.geom.srid)
        if commune.geom.covers(point):
            return point
    return centre


def _reporter(sample: SampleReport, backbone: DemoBackbone) -> dict:
    if sample.reporter == "email":
        return {"author": None, "email": EMAIL_REPORTER}
    return {"author": backbone.accounts[sample.reporter], "email": ""}


def _reports(
    territory: Territory,
    communes: dict[str, Commune],
    categories: dict[str, Category],
    backbone: DemoBackbone,
) -> list[Report]:
    now = timezone.now()
    made: list[Report] = []
    placed: dict[str, int] = {}
    for sample in REPORTS:
        commune, category = communes[sample.commune], categories[sample.category]
        placed[sample.commune] = placed.get(sample.commune, 0) + 1
        filed = now - timedelta(days=sample.days_ago, hours=2 + len(made) % 7)
        service = service_for(commune=commune, category=category)
        report = Report.objects.create(
            territory=territory,
            commune=commune,
            category=category,
            service=service,
            geom=_place(commune, placed[sample.commune] * 3),
            address=sample.address,
            description=sample.description,
            answers=sample.answers or {},
            is_public=sample.public,
            state=Report.State.OPEN if sample.confirmed else Report.State.UNCONFIRMED,
            confirmed_at=filed if sample.confirmed else None,
            **_reporter(sample, backbone),
        )
        steps = [(ReportUpdate.Kind.CREATED, "", report.state, "")]
        if sample.reporter == "email" and sample.confirmed:  # filed, then the link clicked
            steps[0] = (ReportUpdate.Kind.CREATED, "", Report.State.UNCONFIRMED, "")
            steps.append(
                (ReportUpdate.Kind.CONFIRMED, Report.State.UNCONFIRMED, Report.State.OPEN, "")
            )
        if sample.twin_of is not None:
            original = made[sample.twin_of]
            report.duplicate_of = original
            steps.append(
                (
                    ReportUpdate.Kind.DUPLICATE,
                    Report.State.OPEN,
                    Report.State.DUPLICATE,
                    f"Déjà signalé : suivez le signalement n° {original.pk}.",
                )
            )
        state = report.state
        for after, text in sample.story:
            steps.append((ReportUpdate.Kind.STATE, state, after, text))
            state = after
        _story(report, steps, filed, now)
        _followers(report, sample, backbone)
        made.append(report)
    return made


def _story(report: Report, steps: list[tuple], filed: datetime, now: datetime) -> None:
    """Its history, the steps spread between its filing and now; its state and dates."""
    gap = (now - filed) / (len(steps) + 1)
    agent = report.service.members.first() if report.service_id else None
    for index, (kind, before, after, text) in enumerate(steps):
        at = filed + gap * index
        update = ReportUpdate.objects.create(
            report=report,
            kind=kind,
            state_before=before,
            state_after=after,
            service_after=report.service if kind == ReportUpdate.Kind.CREATED else None,
            text=text,
            author=None if kind == ReportUpdate.Kind.CREATED else agent,
        )
        ReportUpdate.objects.filter(pk=update.pk).update(created_at=at)
        report.state = after
        if after == Report.State.ACKNOWLEDGED:
            report.acknowledged_at = at
        if after == Report.State.FIXED:
            report.fixed_at = at
    report.state_reason = next(
        (text for _k, _b, after, text in steps if after in ("not_fixed", "not_responsible")), ""
    )
    report.save()
    Report.objects.filter(pk=report.pk).update(created_at=filed)


def _followers(report: Report, sample: SampleReport, backbone: DemoBackbone) -> None:
    """ "Me too": the demo accounts but the reporter, then neighbours by e-mail."""
    accounts = [user for user in backbone.accounts.values() if user != report.author]
    followers = [ReportFollower(report=report, user=user) for user in accounts[: sample.followers]]
    followers += [
        ReportFollower(report=report, email=f"voisin-{n}@demo.invalid")
        for n in range(sample.followers - len(followers))
    ]
    ReportFollower.objects.bulk_create(followers)


def _spaces_take_the_module(territory: Territory) -> int:
    """Each public space of the territory shows the reports (core.modules adds the module
    to a space by its slug)."""
    added = 0
    for slug in space_slugs_in_territory(territory.pk):
        space = space_public(slug)
        if space is not None and MODULE not in space.modules:
            added += space_module_add(slug, MODULE)
    return added
