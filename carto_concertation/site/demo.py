# SPDX-License-Identifier: AGPL-3.0-or-later
"""The demo, for `make run` and for trying things out: the backbone's (the territory and
its communes, one account per role, the PLUi), then each registered space's and module's
(the ``demo`` slot of its manifest), which builds on it."""

from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.db import transaction

from carto_concertation.accounts.models import Role, User
from carto_concertation.accounts.services import role_grant, user_create
from carto_concertation.core.modules import DemoBackbone, composed
from carto_concertation.territories.models import Territory
from carto_concertation.territories.services import territory_import
from plui_documents.models import UrbanDocument
from plui_documents.services import plui_import

DEMO_DIR = Path(settings.BASE_DIR) / "demo"
DEMO_SIREN = "241800432"
DEMO_NAME = "Communauté de communes Les Trois Provinces"
DEMO_COMMUNES_FILE = DEMO_DIR / "communes-cc-trois-provinces.geojson"
DEMO_PLUI = DEMO_DIR / "plui" / "241800432_PLUi_20200128"
# The relay runs workshops in Sancoins and Vereaux.
DEMO_RELAY_COMMUNES = ("18242", "18275")
# Known only on a DEBUG (local) server; elsewhere demo accounts get no usable password.
DEMO_PASSWORD = "concertation-demo"  # noqa: S105


@dataclass(frozen=True)
class DemoAccount:
    role: Role
    email: str
    pseudonym: str


DEMO_ACCOUNTS = (
    DemoAccount(Role.RESIDENT, "habitant@demo.invalid", "Habitant démo"),
    DemoAccount(Role.MODERATOR, "moderation@demo.invalid", "Modération démo"),
    DemoAccount(Role.PLANNER, "urbanisme@demo.invalid", "Urbanisme démo"),
    DemoAccount(Role.RELAY, "relais@demo.invalid", "Relais démo"),
    DemoAccount(Role.ADMINISTRATOR, "admin@demo.invalid", "Administration démo"),
)


@dataclass
class DemoResult:
    territory_loaded: bool
    territory_present: bool
    accounts_created: list[str]
    password: str | None
    backbone: DemoBackbone
    plui_loaded: bool = False
    # What the spaces' and modules' demos added, one line each, for load_demo to print.
    added: list[str] = field(default_factory=list)


def demo_load() -> DemoResult:
    """Idempotent: the territory and its PLUi go only into an empty database; each
    demo account is created once; each space's and module's demo adds its part once."""
    result = _demo_territory_and_accounts()
    if result.territory_loaded and not UrbanDocument.objects.exists():
        plui_import(path=DEMO_PLUI)  # manages its own transactions
        result.plui_loaded = True
    for part in composed():
        if part.demo is None:
            continue
        with transaction.atomic():  # all of a module's demo is written, or none of it
            added = part.demo(result.backbone)
        if added:
            result.added.append(added)
    return result


@transaction.atomic
def _demo_territory_and_accounts() -> DemoResult:
    territory_loaded = False
    territory = Territory.objects.filter(siren=DEMO_SIREN).first()
    if territory is None and not Territory.objects.exists():
        territory = territory_import(
            path=DEMO_COMMUNES_FILE, siren=DEMO_SIREN, name=DEMO_NAME
        ).territory
        territory_loaded = True
    password = DEMO_PASSWORD if settings.DEBUG else None
    created = []
    accounts = {}
    for account in DEMO_ACCOUNTS:
        user = User.objects.filter(email=account.email).first()
        if user is None:
            user = user_create(
                email=account.email,
                pseudonym=account.pseudonym,
                password=password,
                is_superuser=account.role == Role.ADMINISTRATOR,
                consent_version=settings.CONSENT_VERSION,
            )
            created.append(account.email)
        accounts[account.role] = user
        if territory is not None:
            _grant_demo_role(user, account.role, territory)
    return DemoResult(
        territory_loaded=territory_loaded,
        territory_present=territory is not None,
        accounts_created=created,
        password=password,
        backbone=DemoBackbone(territory=territory, accounts=accounts, password=password),
    )


def _grant_demo_role(user: User, role: Role, territory: Territory) -> None:
    if role in (Role.MODERATOR, Role.PLANNER):
        role_grant(user=user, role=role, territory=territory)
    elif role == Role.RELAY:
        communes = territory.communes.filter(insee__in=DEMO_RELAY_COMMUNES)
        role_grant(user=user, role=role, territory=territory, communes=communes)
    elif role == Role.ADMINISTRATOR:
        role_grant(user=user, role=role)
