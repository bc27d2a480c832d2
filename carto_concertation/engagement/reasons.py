# SPDX-License-Identifier: AGPL-3.0-or-later
"""The pre-written reasons, in one place: those a moderator picks to hide an item (the
public reason its placeholder shows) and those a resident picks to report one. Each is
stored as its words in the language of the page it was chosen on, like a free reason."""

from django.utils.translation import gettext_lazy as _

# Why a moderator hides: the usual grounds of a participation charter.
HIDE_REASONS = (
    ("abuse", _("Insulting or defamatory remarks")),
    ("off_topic", _("Off topic")),
    ("personal_data", _("Personal data")),
    ("advertising", _("Advertising")),
    ("duplicate", _("Duplicate of another contribution")),
)

# Why a resident reports; a duplicate brings the idea to the queue, where moderators
# merge it into its twin.
REPORT_REASONS = (
    ("abuse", _("Insulting or defamatory remarks")),
    ("personal_data", _("Personal data")),
    ("advertising", _("Advertising")),
    ("off_topic", _("Off topic")),
    ("duplicate", _("Duplicate of another contribution")),
)

OTHER = "other"


def reason_text(choices, key: str, free: str) -> str:
    """The words of a pre-written reason, followed by what was typed; what was typed
    alone for "other" (or no key)."""
    label = dict(choices).get(key)
    free = (free or "").strip()
    if label is None:
        return free
    return f"{label} : {free}" if free else str(label)
