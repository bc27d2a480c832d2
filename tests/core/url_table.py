# SPDX-License-Identifier: AGPL-3.0-or-later
"""Every named URL of the site, reversed with sample arguments and resolved back.

``url_table()`` walks the URLconf: for each named pattern (with its namespace), it fills
each argument with a sample value of its converter, reverses the name and resolves the
path it gave. ``tests/data/urls.json`` holds the table of the URLconf written by hand in
``urls.py`` before the modules declared their own paths: tests/core/test_urls.py checks
that the composed URLconf answers the same. Run this file to print the table of today
(``python -m tests.core.url_table`` with the tests' settings).
"""

import json
import uuid

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.converters import IntConverter, PathConverter, SlugConverter, UUIDConverter

SAMPLE_UUID = uuid.UUID("12345678-1234-5678-1234-567812345678")
_SAMPLES = {IntConverter: 7, SlugConverter: "un-espace", UUIDConverter: SAMPLE_UUID}


def _sample(name: str, converter) -> object:
    if name == "format":
        return "json"
    if isinstance(converter, PathConverter):
        return "a/b"
    return _SAMPLES.get(type(converter), "x7")


def _arguments(pattern) -> dict[str, object]:
    converters = getattr(pattern, "converters", {})
    names = list(converters) or list(pattern.regex.groupindex)
    return {name: _sample(name, converters.get(name)) for name in names}


def _named(patterns, namespace: str, arguments: dict):
    for pattern in patterns:
        own = {**arguments, **_arguments(pattern.pattern)}
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue  # Django's own, one per registered model: tests/core/test_admin.py
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named(pattern.url_patterns, inner, own)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", own


def url_table() -> list[list]:
    """[name, arguments, path, the name the path resolves to], in the URLconf's order."""
    table = []
    for name, arguments in _named(get_resolver().url_patterns, "", {}):
        path = reverse(name, kwargs=arguments)
        table.append(
            [name, {k: str(v) for k, v in arguments.items()}, path, resolve(path).view_name]
        )
    return table


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(url_table(), indent=1, ensure_ascii=False))
