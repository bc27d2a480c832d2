# SPDX-License-Identifier: AGPL-3.0-or-later
"""A relay types in the answers given on paper or in a workshop, one transaction each,
under the key the page or the tablet generated: the same idempotent sync as the
workshops' captures (workshops.services). A replay of the same entry finds its response;
the same key with other answers is a conflict, never a second response."""

import datetime
import hashlib
import json
import uuid
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Questionnaire, Response
from .answers import answers_check

# The writes of a checked response are the answering part's; a relay's entry only differs
# in the row it writes them under (no person, a key, a channel).
from .answers.writes import answers_write

# The channels a relay types in (online answers are the residents' own).
RELAY_CHANNELS = (Response.Channel.WORKSHOP, Response.Channel.PAPER)


def relay_sync_days() -> int:
    """How long after closing the entries of the last workshops may still be synced
    (a tablet back from a village hall without network, a pile of paper forms): the
    workshops' captures' grace, one rule for a relay's syncs."""
    return settings.WORKSHOP_CAPTURE_GRACE_DAYS


class EntryConflict(Exception):
    """The entry's key already stands for other answers (409, not a replay)."""


@dataclass(frozen=True)
class Entry:
    """One paper form or workshop sheet, as the relay typed it in."""

    key: uuid.UUID
    channel: str
    answered_on: datetime.date
    answers: dict = field(default_factory=dict)

    def digest(self, questionnaire: Questionnaire) -> str:
        """The same entry sent twice gives the same digest (keys of objects sorted)."""
        canonical = {
            "questionnaire": questionnaire.pk,
            "channel": self.channel,
            "answered_on": self.answered_on.isoformat(),
            "answers": self.answers,
        }
        text = json.dumps(canonical, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(text.encode()).hexdigest()


def relay_takes_entries(questionnaire: Questionnaire, at: datetime.datetime | None = None) -> bool:
    """Published, opened, and closed no more than ``relay_sync_days()`` ago."""
    at = at or timezone.now()
    late = questionnaire.closes_at + datetime.timedelta(days=relay_sync_days())
    return questionnaire.is_published and questionnaire.opens_at <= at < late


def _dates_check(questionnaire: Questionnaire, entry: Entry) -> None:
    if questionnaire.is_published and timezone.now() < questionnaire.opens_at:
        raise ValidationError({"questionnaire": _("This questionnaire is not open yet.")})
    if not relay_takes_entries(questionnaire):
        raise ValidationError(
            {"questionnaire": _("This questionnaire takes no more entries from relays.")}
        )
    first = timezone.localdate(questionnaire.opens_at)
    last = timezone.localdate(questionnaire.closes_at)
    if not first <= entry.answered_on <= min(last, timezone.localdate()):
        raise ValidationError(
            {
                "answered_on": _(
                    "The answers must have been given while the questionnaire was open,"
                    " between %(first)s and %(last)s, and not in the future."
                )
                % {"first": first.strftime("%d/%m/%Y"), "last": last.strftime("%d/%m/%Y")}
            }
        )


def _submitted_at(questionnaire: Questionnaire, day: datetime.date) -> datetime.datetime:
    """The day the answers were given, at noon, within the questionnaire's dates (the
    results count the responses of those dates) and not after now."""
    noon = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    ends = questionnaire.closes_at - datetime.timedelta(microseconds=1)
    return max(questionnaire.opens_at, min(noon, ends, timezone.now()))


def _key_lock(key: uuid.UUID) -> None:
    """Serialise the syncs of one key: a second sync racing the first waits, then finds
    its response (the unique key would refuse a twin anyway, with an error instead)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key.int >> 65])


@transaction.atomic
def relay_entry_record(
    *, questionnaire: Questionnaire, user, entry: Entry
) -> tuple[Response, bool]:
    """Record one paper or workshop response under its key: (response, True) the first
    time, (the same response, False) on a replay of the same entry, ``EntryConflict`` if
    the key was used for other answers; ``ValidationError`` keyed by the field (an
    answer's by its question code) and nothing written when refused."""
    if not user.has_perm("surveys.enter_answers", questionnaire):
        raise PermissionDenied(_("Only the relays and planners of this territory may do that."))
    if entry.channel not in RELAY_CHANNELS:
        raise ValidationError({"channel": _("A relay types in paper or workshop answers.")})
    _key_lock(entry.key)
    digest = entry.digest(questionnaire)
    existing = Response.objects.filter(key=entry.key).first()
    if existing is not None:
        if existing.questionnaire_id != questionnaire.pk or existing.payload_hash != digest:
            raise EntryConflict(
                _("The key %(key)s already stands for other answers.") % {"key": entry.key}
            )
        return existing, False
    _dates_check(questionnaire, entry)
    clean = answers_check(questionnaire, entry.answers)
    response = Response.objects.create(
        questionnaire=questionnaire,
        channel=entry.channel,
        status=Response.Status.SUBMITTED,
        submitted_at=_submitted_at(questionnaire, entry.answered_on),
        key=entry.key,
        payload_hash=digest,
        entered_by=user,
    )
    answers_write(response, clean)
    return response, True
