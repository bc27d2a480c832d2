# SPDX-License-Identifier: AGPL-3.0-or-later
from .load import surveys_demo

__all__ = ["surveys_demo"]
