# SPDX-License-Identifier: AGPL-3.0-or-later
"""The organisers' pages for building questionnaires, under /consultations/gestion/:
plain forms that POST back to their page (no JavaScript needed); a refused form comes
back with the service's reason under its field (400). Only the planners of the
questionnaire's territory (and administrators) reach them: 403; unknown slugs: 404."""
