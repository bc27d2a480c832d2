# SPDX-License-Identifier: AGPL-3.0-or-later
"""The DCAT-AP catalogue, the scheduled open files and the open-data page."""
