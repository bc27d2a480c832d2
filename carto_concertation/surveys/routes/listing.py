# SPDX-License-Identifier: AGPL-3.0-or-later
"""The listing part's paths: the public list of questionnaires (/consultations/)."""

api_patterns: list = []
page_patterns: list = []
