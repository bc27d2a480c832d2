# SPDX-License-Identifier: AGPL-3.0-or-later
"""allauth.mfa's recovery codes' pages, for an account that has none: allauth answers a
bare 404 there (no authenticator app yet, or its codes gone); ours says what to do, with
the link: set the app up first (its codes come with it), or make new codes."""

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.views import DownloadRecoveryCodesView, ViewRecoveryCodesView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def _without_codes(request: HttpRequest) -> HttpResponse | None:
    """The page that says what to do, when the signed-in account has no recovery codes."""
    kinds = set(
        Authenticator.objects.filter(user_id=request.user.pk).values_list("type", flat=True)
    )
    if Authenticator.Type.RECOVERY_CODES in kinds:
        return None
    return render(
        request,
        "mfa/recovery_codes/missing.html",
        {"has_app": Authenticator.Type.TOTP in kinds},
    )


class RecoveryCodesView(ViewRecoveryCodesView):
    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        return _without_codes(request) or super().get(request, *args, **kwargs)


class RecoveryCodesDownloadView(DownloadRecoveryCodesView):
    def dispatch(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.user.is_authenticated and (missing := _without_codes(request)):
            return missing
        return super().dispatch(request, *args, **kwargs)
