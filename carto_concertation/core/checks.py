# SPDX-License-Identifier: AGPL-3.0-or-later
"""System checks of the module contract, run by manage.py at start-up."""

from django.core.checks import Error, register

from .modules import missing_requirements


@register()
def modules_requirements_check(app_configs, **kwargs) -> list[Error]:
    """A module that needs another (``requires``) does not start without it."""
    return [
        Error(
            f"The module {module!r} requires the module {needed!r}, which is not installed.",
            hint=f"Add the app of the {needed!r} module to INSTALLED_APPS, before {module!r}.",
            id="core.E001",
        )
        for module, needed in missing_requirements()
    ]
