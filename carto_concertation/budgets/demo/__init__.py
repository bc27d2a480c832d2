# SPDX-License-Identifier: AGPL-3.0-or-later
from .load import budgets_demo

__all__ = ["budgets_demo"]
