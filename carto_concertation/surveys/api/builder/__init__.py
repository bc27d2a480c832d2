# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' API for building a questionnaire, under /api/v1/surveys/: list and
create questionnaires, change their settings, add and change pages, questions (every
kind, with their choices), choices and conditions, publish; the questionnaire as JSON,
out and in. Bad input: 400 naming the field; not an organiser of the territory: 403
(404 for a draft); nothing half-written."""
