# SPDX-License-Identifier: AGPL-3.0-or-later
from .load import crowdfunding_demo

__all__ = ["crowdfunding_demo"]
