# SPDX-License-Identifier: AGPL-3.0-or-later
"""The PLU/PLUi documents' permissions (django-rules, found at start-up by rules'
autodiscovery): planners import their territories' plans; administrators any."""

import rules

from carto_concertation.accounts.rules import is_administrator, plans_somewhere, plans_territory


@rules.predicate
def plans_territory_of_document(user, document) -> bool:
    return document is not None and plans_territory.test(user, document.territory)


# Uploading a CNIG delivery (the admin's import page).
rules.add_perm("plui_documents.import", is_administrator | plans_somewhere)
# Reading a document in the admin (any for administrators, their territories' for planners).
rules.add_perm("plui_documents.read", is_administrator | plans_territory_of_document)
