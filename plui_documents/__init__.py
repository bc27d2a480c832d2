# SPDX-License-Identifier: AGPL-3.0-or-later
"""CNIG PLU/PLUi import, validation, versions and règlement documents: see issue 3 and docs/."""
