# SPDX-License-Identifier: AGPL-3.0-or-later
"""The campaign part's API paths and pages (composed by crowdfunding/urls.py)."""

api_patterns: list = []
page_patterns: list = []
