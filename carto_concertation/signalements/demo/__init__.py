# SPDX-License-Identifier: AGPL-3.0-or-later
from .content import AGENTS, CATEGORIES, REPORTS
from .load import signalements_demo

__all__ = ["AGENTS", "CATEGORIES", "REPORTS", "signalements_demo"]
