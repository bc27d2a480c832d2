# SPDX-License-Identifier: AGPL-3.0-or-later
"""A psycopg connection of its own to the test database, beside Django's."""

import psycopg
from django.db import connection


def own_connection(**options) -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        host=db["HOST"],
        port=db["PORT"],
        user=db["USER"],
        password=db["PASSWORD"],
        **options,
    )
