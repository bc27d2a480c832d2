# SPDX-License-Identifier: AGPL-3.0-or-later
"""The signalements' writes, one transaction each: ``submission`` (filing and confirming
a report) and ``workflow`` (what the services and the reporters do with it next)."""
