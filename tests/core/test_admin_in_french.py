# SPDX-License-Identifier: AGPL-3.0-or-later
"""The back office speaks French: every list, add and change page of every model in the
admin, as a French administrator, shows no English and no raw code.

Two oracles. The catalogue: every verbose name, help text and choice label of the models
the admin shows has a French translation (gettext under "fr" differs from the English,
unless the word is the same in both languages). The pages: no English string of those
models, no "object (3)" (a model without __str__), no "de" before a vowel (Django's
"Modification de %s" with "utilisateur"), no English of Django's own that our catalogue
must cover, no raw choice code where its label belongs.
"""

import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db.models import Model
from django.urls import reverse
from django.utils import translation

from carto_concertation.accounts.models import Role
from tests.factories import (
    BannedSenderFactory,
    CategoryQuestionFactory,
    CommentFactory,
    ContextLayerFactory,
    ContributionFactory,
    CrowdfundingPhotoFactory,
    DocumentPieceFactory,
    InformationFactory,
    JobFactory,
    ModerationActionFactory,
    PrescriptionFactory,
    RasterLayerFactory,
    ReportFactory,
    ReportUpdateFactory,
    RoleAssignmentFactory,
    RouteFactory,
    SignalementFactory,
    UserFactory,
    WorkshopFactory,
)
from tests.factories.signalements import ApiClientFactory
from tests.worlds import small_world

pytestmark = [pytest.mark.django_db, pytest.mark.french]

# The same word in English and French, or a name that is not translated.
SAME_IN_BOTH = {
    "email",
    "e-mail",
    "url",
    "insee",
    "siren",
    "slug",
    "position",
    "source",
    "description",
    "message",
    "version",
    "population",
    "zone",
    "zones",
    "type",
    "code",
    "service",
    "base",
    "page",
    "pages",
    "date",
    "communes",
    "commune",
    "territoire",
    "notes",
    "note",
    "actions",
    "action",
    "options",
    "format",
    "attribution",
    "concertation",
    "concertations",
    "phase",
    "phases",
    "contribution",
    "contributions",
    "prescription",
    "prescriptions",
    "information",
    "informations",
    "document",
    "module",
    "licence",
    "surface",
    "point",
    "votes",
    "carte communale",
    "application",
    "contact",
    "public",
    "question",
    "services",
    "agents",
    "association",
    "porteur",
    "photo",
    # The crowdfunding platforms, by their names.
    "collecticity",
    "miimosa",
    "ulule",
    "wedogood",
    "kisskissbankbank",
    "lendosphere",
    "enerfip",
}
# The CNIG standard's attribute names (IDURBA, LIBELLE…) and codes (PLUi, CNIG 2017).
CODE = re.compile(r"[A-Z0-9_ ()]+|PLUi|CNIG \d{4}|sha256|DOC_URBA_COM|communes \(DOC_URBA_COM\)")
# What Django's admin says in English when a string lacks its French.
ENGLISH = re.compile(
    r"\b(object \(|Add |Change |Select |Created by|Updated|Delete |Save |History\b"
    r"|created at|updated at|[Cc]hoose |Filter\b|by [a-z]|Yes\b|Unknown\b)"
)
# Codes where their labels belong: a list of geometries, a role.
RAW_CODES = re.compile(
    r"\b(?:point|line|area)(?:,(?:point|line|area))+\b"
    r"|\b(?:resident|moderator|planner|relay|administrator)\b"
)
VOWEL_AFTER_DE = re.compile(r"\bde [aeiouyéèêàâîôûhAEIOUYÉÈÊÀÂÎÔÛ]\w", re.IGNORECASE)


def _english_of(value) -> str:
    with translation.override("en"):
        return str(value)


def _french_of(value) -> str:
    with translation.override("fr"):
        return str(value)


def untranslated(value) -> bool:
    english = _english_of(value)
    return (
        bool(re.search("[A-Za-z]", english))
        and _french_of(value) == english
        and english.lower() not in SAME_IN_BOTH
        and not CODE.fullmatch(english)
    )


def shown_fields(model) -> list:
    """The fields a page of the admin may show: those a form edits, not the computed
    copies (geom_3857, search) nor the reverse relations."""
    return [
        field
        for field in model._meta.get_fields()
        if getattr(field, "editable", False) and not field.auto_created and field.concrete
    ]


def admin_models() -> list:
    """The models the admin shows: those registered and those of their inlines."""
    shown = []
    for model, model_admin in admin.site._registry.items():
        shown.append(model)
        shown.extend(inline.model for inline in model_admin.inlines)
    return list(dict.fromkeys(shown))


def test_every_model_the_admin_shows_names_its_rows():
    nameless = [m._meta.label for m in admin_models() if m.__str__ is Model.__str__]
    assert not nameless


def test_every_label_the_admin_shows_has_its_french():
    missing = []
    for model in admin_models():
        if model._meta.app_label in {"auth", "account"}:
            continue  # Django's and allauth's own, translated by them
        meta = model._meta
        for label in (meta.verbose_name, meta.verbose_name_plural):
            if untranslated(label):
                missing.append(f"{meta.label}: {_english_of(label)!r}")
        for field in shown_fields(model):
            for text in (field.verbose_name, getattr(field, "help_text", "")):
                if text and untranslated(text):
                    missing.append(f"{meta.label}.{field.name}: {_english_of(text)!r}")
            for _code, label in getattr(field, "flatchoices", None) or ():
                if untranslated(label):
                    missing.append(f"{meta.label}.{field.name} choice: {_english_of(label)!r}")
    assert not missing, "\n".join(missing)


@pytest.fixture
def world():
    """One row at least of every model the admin shows."""
    concertation = small_world(title="Révision du PLUi")
    territory = concertation.territory
    contribution = ContributionFactory(concertation=concertation)
    CommentFactory(contribution=contribution)
    ReportFactory(contribution=contribution)
    ModerationActionFactory(contribution=ContributionFactory(concertation=concertation))
    WorkshopFactory(concertation=concertation)
    ContextLayerFactory()
    RasterLayerFactory()
    document = concertation.plui_document
    PrescriptionFactory(version=document.current_version)
    InformationFactory(version=document.current_version)
    DocumentPieceFactory(version=document.current_version)
    JobFactory()
    Group.objects.create(name="Agents")
    EmailAddress.objects.create(user=UserFactory(), email="agent@example.fr", verified=True)
    RoleAssignmentFactory(role=Role.PLANNER, territory=territory)
    ApiClientFactory(territory=territory)
    route = RouteFactory(category__territory=territory)
    route.service.members.add(UserFactory())
    CategoryQuestionFactory(category=route.category)
    ReportUpdateFactory(report=SignalementFactory(category=route.category, service=route.service))
    BannedSenderFactory(territory=territory)
    CrowdfundingPhotoFactory(project__territory=territory)
    return concertation


def visible_text(html: str) -> str:
    """The page's text and the attributes people read (titles, labels), without scripts."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    attributes = " ".join(
        re.findall(r'(?:title|aria-label|placeholder|alt)="([^"]*)"', html)
        + re.findall(r'<input type="text"[^>]*value="([^"]*)"', html)
    )
    return unescape(re.sub(r"<[^>]+>", " ", html) + " " + attributes)


def test_every_admin_page_is_in_french(client, world):
    administrator = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(administrator)
    english = set()
    for model in admin_models():
        if model._meta.app_label in {"auth", "account"}:
            continue
        for field in shown_fields(model):
            for text in (field.verbose_name, field.help_text):
                if text and untranslated(text):
                    english.add(_english_of(text))
    problems = []
    visited = []

    def check(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, url
        visited.append(url)
        text = visible_text(response.content.decode())
        for found in ENGLISH.findall(text):
            problems.append(f"{url}: {found!r} in {_around(text, found)!r}")
        for found in RAW_CODES.findall(text):
            problems.append(f"{url}: code {found!r} in {_around(text, found)!r}")
        for found in VOWEL_AFTER_DE.findall(text):
            problems.append(f"{url}: {found!r} in {_around(text, found)!r}")
        for phrase in english:
            if re.search(rf"\b{re.escape(phrase)}\b", text):
                problems.append(f"{url}: untranslated {phrase!r}")

    apps = {model._meta.app_label for model in admin.site._registry}
    for model, model_admin in [(None, None), *admin.site._registry.items()]:
        if model is None:  # the index and each application's page
            pages = [reverse("admin:index")]
            pages += [reverse("admin:app_list", args=[label]) for label in sorted(apps)]
            for url in pages:
                check(url)
            continue
        info = (model._meta.app_label, model._meta.model_name)
        pages = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(_request(administrator)):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"the world holds no {model._meta.label}"
        pages.append(reverse("admin:{}_{}_change".format(*info), args=[first.pk]))
        pages.append(reverse("admin:{}_{}_history".format(*info), args=[first.pk]))
        for url in pages:
            check(url)
    assert len(visited) > 60
    assert not problems, "\n".join(sorted(set(problems)))


def _around(text: str, found: str) -> str:
    index = text.find(found)
    return " ".join(text[max(0, index - 60) : index + 60].split())


def _request(user):
    class Request:
        pass

    request = Request()
    request.user = user
    return request
