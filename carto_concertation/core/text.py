# SPDX-License-Identifier: AGPL-3.0-or-later
"""Texts residents and staff type: stored as plain text."""

import nh3


def plain_text(text: str | None) -> str:
    """Any HTML removed, so nothing a visitor typed can run where it is shown."""
    return nh3.clean(text or "", tags=set()).strip()
