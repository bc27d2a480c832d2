# SPDX-License-Identifier: AGPL-3.0-or-later
"""What a pseudonym may be: the only name of a person shown in public."""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

PSEUDONYM_MIN_LENGTH = 3
PSEUDONYM_MAX_LENGTH = 40
# Letters of any script, digits, spaces and a few joining signs; nothing else.
_ALLOWED = re.compile(r"^[^\W_]+(?:[ \-_.'’][^\W_]+)*[.]?$")
_WHITESPACE = re.compile(r"\s+")
# An address, also written around the filters ("jean (at) example dot fr").
_LOOKS_LIKE_EMAIL = re.compile(
    r"\w\s*(?:@|\(at\)|\[at\]|\bat\b|\barobase\b)\s*\w+"
    r"\s*(?:\.|\(dot\)|\[dot\]|\bdot\b|\bpoint\b)\s*[a-z]{2,}\b",
    re.I,
)
_LOOKS_LIKE_URL = re.compile(r"https?:|www\.|\.(?:fr|com|org|net|eu)\b", re.I)
# Names that would pass for the platform or for the label of deleted accounts.
RESERVED = {"participant anonyme", "anonymous participant", "carto-concertation"}


def pseudonym_clean(value: str) -> str:
    """The pseudonym as stored (NFKC, single spaces), or a ValidationError saying why."""
    pseudonym = _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", value or "")).strip()
    if len(pseudonym) < PSEUDONYM_MIN_LENGTH:
        raise ValidationError(
            _("A pseudonym has at least %(min)d characters.") % {"min": PSEUDONYM_MIN_LENGTH},
            code="min_length",
        )
    if len(pseudonym) > PSEUDONYM_MAX_LENGTH:
        raise ValidationError(
            _("A pseudonym has at most %(max)d characters.") % {"max": PSEUDONYM_MAX_LENGTH},
            code="max_length",
        )
    if "@" in pseudonym or _LOOKS_LIKE_EMAIL.search(pseudonym):
        raise ValidationError(
            _("A pseudonym is shown in public: it must not contain an e-mail address."),
            code="email",
        )
    if _LOOKS_LIKE_URL.search(pseudonym):
        raise ValidationError(_("A pseudonym must not contain a web address."), code="url")
    if not _ALLOWED.match(pseudonym):
        raise ValidationError(
            _(
                "Use letters and digits, separated by single spaces, hyphens, dots, "
                "underscores or apostrophes."
            ),
            code="characters",
        )
    if pseudonym.casefold() in RESERVED:
        raise ValidationError(_("This pseudonym is reserved."), code="reserved")
    return pseudonym
