# SPDX-License-Identifier: AGPL-3.0-or-later
"""``{% questionnaire_url slug %}``, ``{% results_url slug %}`` and ``{% manage_url %}``:
the pages' addresses of links.py in the module's templates."""

from django import template

from .. import links

register = template.Library()
register.simple_tag(links.questionnaire_url, name="questionnaire_url")
register.simple_tag(links.results_url, name="results_url")
register.simple_tag(links.manage_url, name="manage_url")
