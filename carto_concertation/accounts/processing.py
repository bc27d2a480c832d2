# SPDX-License-Identifier: AGPL-3.0-or-later
"""The backbone's processings of personal data, and the record of processing (registre
des traitements, GDPR article 30) of the whole house: the backbone's lines, then each
module's (``ModuleManifest.processing``). The privacy notice and the registre read it."""

import csv
import io
from dataclasses import dataclass

from django.conf import settings
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from carto_concertation.core.modules import ProcessingDeclaration, processing_declarations

PUBLIC_INTEREST = gettext_lazy(
    "A task carried out in the public interest: the public consultation of the "
    "collectivité (GDPR article 6-1-e)."
)


def account_lifetime() -> str:
    """How long an account and what ties a person to their participation are kept."""
    return _(
        "Until you delete your account. An account whose address is never confirmed is "
        "deleted after %(unverified)s days; an account nobody signs in to for %(years)s "
        "years is warned by e-mail, then deleted %(warning)s days later unless you sign "
        "in (staff accounts are warned, and closed by an administrator)."
    ) % {
        "unverified": settings.RETENTION_UNVERIFIED_DAYS,
        "years": settings.RETENTION_INACTIVE_YEARS,
        "warning": settings.RETENTION_WARNING_DAYS,
    }


def kept_anonymous_after_account() -> str:
    """For what a person publishes: it outlives the account, tied to nobody."""
    return _(
        "Part of the record of the consultation, kept with it; the link to your account "
        "goes with the account (%(lifetime)s)"
    ) % {"lifetime": account_lifetime()}


def _ip_lifetime() -> str:
    return _("The window of each limit (a minute to a day); never more than %(days)s days.") % {
        "days": settings.RETENTION_IP_DAYS
    }


BACKBONE = (
    ProcessingDeclaration(
        key="accounts",
        name=gettext_lazy("Participants' accounts"),
        data=gettext_lazy(
            "E-mail address, pseudonym, password (hashed), e-mail choices, version and date "
            "of the accepted notice, dates of sign-up and last sign-in."
        ),
        purpose=gettext_lazy(
            "Let residents take part under a pseudonym and tell them, as they choose, of "
            "answers, replies and moderation decisions."
        ),
        legal_basis=PUBLIC_INTEREST,
        subjects=gettext_lazy("Residents and anyone who creates an account."),
        recipients=gettext_lazy(
            "The platform's administrators; the pseudonym is public next to what the "
            "person publishes. The e-mail address is given to nobody."
        ),
        retention=account_lifetime,
    ),
    ProcessingDeclaration(
        key="staff",
        name=gettext_lazy("Staff roles"),
        data=gettext_lazy(
            "Role (administrator, moderator, urban planner, relay), its territory or "
            "communes, the date it was granted; the actions taken in that role."
        ),
        purpose=gettext_lazy(
            "Run the consultations: moderate, answer, import documents, lead workshops, "
            "and keep the record of who did what."
        ),
        legal_basis=PUBLIC_INTEREST,
        subjects=gettext_lazy("Agents and elected officials of the collectivités, relays."),
        recipients=gettext_lazy(
            "The platform's administrators; the public moderation log names a role, never a person."
        ),
        retention=account_lifetime,
    ),
    ProcessingDeclaration(
        key="security",
        name=gettext_lazy("Security of the service"),
        data=gettext_lazy(
            "IP address (an IPv6 address by its /64), counted by the limits on sign-in, "
            "sign-up, posting and heavy reads."
        ),
        purpose=gettext_lazy("Protect the service against floods and password guessing."),
        legal_basis=gettext_lazy(
            "The controller's obligation to secure the processing (GDPR article 32), in "
            "the public interest task (article 6-1-e)."
        ),
        subjects=gettext_lazy("Every visitor."),
        recipients=gettext_lazy("Nobody: the counters are read by the server only."),
        retention=_ip_lifetime,
    ),
)


@dataclass(frozen=True)
class RegisterLine:
    """A line of the record of processing, every field a text in the active language."""

    key: str
    module: str
    name: str
    data: str
    purpose: str
    legal_basis: str
    subjects: str
    recipients: str
    retention: str


def _text(value: str | Promise) -> str:
    return str(value) if value else ""


def register_lines() -> list[RegisterLine]:
    """The record of processing now: the backbone's lines, then each module's, their
    durations read from today's settings."""
    platform = _("Platform")
    declared = [(platform, d) for d in BACKBONE] + [
        (_text(manifest.label), d) for manifest, d in processing_declarations()
    ]
    return [
        RegisterLine(
            key=declaration.key,
            module=module,
            name=_text(declaration.name),
            data=_text(declaration.data),
            purpose=_text(declaration.purpose),
            legal_basis=_text(declaration.legal_basis),
            subjects=_text(declaration.subjects) or _("Residents with an account."),
            recipients=_text(declaration.recipients),
            retention=_text(declaration.retention()),
        )
        for module, declaration in declared
    ]


def register_csv() -> bytes:
    """The record as CSV for a spreadsheet: UTF-8 with a byte order mark (Excel then
    reads the accents), separated by semicolons as French spreadsheets expect."""
    columns = [
        ("module", _("Module")),
        ("name", _("Processing")),
        ("data", _("Personal data")),
        ("purpose", _("Purpose")),
        ("legal_basis", _("Legal basis")),
        ("subjects", _("Persons concerned")),
        ("recipients", _("Recipients")),
        ("retention", _("Retention period")),
    ]
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([label for _name, label in columns])
    for line in register_lines():
        writer.writerow([getattr(line, name) for name, _label in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
