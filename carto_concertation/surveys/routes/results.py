# SPDX-License-Identifier: AGPL-3.0-or-later
"""The results part's paths: API under /api/v1/surveys/, pages under /consultations/."""

api_patterns: list = []
page_patterns: list = []
