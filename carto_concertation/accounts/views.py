# SPDX-License-Identifier: AGPL-3.0-or-later
"""The account pages (server-rendered): sign-up, my account, preferences, my data,
deleting my account, and the unsubscribe links of the e-mails; and the administrators'
page that removes a lost authenticator app."""

import uuid

from allauth.account.views import LoginView as AllauthLoginView
from allauth.account.views import SignupView as AllauthSignupView
from allauth.mfa.base.views import AuthenticateView as AllauthSecondFactorView
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView as AllauthAuthenticatorAppView
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.decorators import ratelimit

from carto_concertation.core.jobs import job_state
from carto_concertation.core.modules import modules

from . import archives, services
from .consent import consent_outdated, safe_next
from .forms import AuthenticatorsRemoveForm, ConsentForm, DeleteAccountForm, PreferencesForm
from .models import Role, User
from .notifications import unsubscribe_read
from .panels import account_panels
from .processing import register_csv, register_lines
from .second_factor import second_factor_record
from .secrets_at_rest import SecretUnreadable
from .selectors import (
    accounts_with_authenticators,
    notification_kind_map,
    user_is_administrator,
    user_roles,
)


def _write_rate(group, request) -> str:
    return settings.ACCOUNT_WRITE_RATE


def _export_rate(group, request) -> str:
    return settings.DATA_EXPORT_RATE


def _add_errors(form, error: ValidationError) -> None:
    """A service's ValidationError onto the form: its fields, or the whole form."""
    if hasattr(error, "error_dict"):
        for field, messages_ in error.message_dict.items():
            form.add_error(field if field in form.fields else None, messages_)
    else:
        form.add_error(None, error.messages)


class BadRequestOnInvalidForm:
    """An invalid form is answered 400 (with its field errors), not 200."""

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class LoginView(BadRequestOnInvalidForm, AllauthLoginView):
    """allauth's sign-in; beyond the failed sign-ins allowed (LOGIN_RATE) the page says
    so with a 429, as every other rate limit of the site answers."""

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        if form.has_error(NON_FIELD_ERRORS, "too_many_login_attempts"):
            response.status_code = 429
        return response


class SignupView(BadRequestOnInvalidForm, AllauthSignupView):
    """allauth's sign-up, in one transaction: the account, its pseudonym, its consent and
    its e-mail address are all written, or none is. allauth limits the sign-ups per IP
    address (ACCOUNT_RATE_LIMITS["signup"])."""

    def form_valid(self, form) -> HttpResponse:
        try:
            with transaction.atomic():
                return super().form_valid(form)
        except ValidationError as error:
            _add_errors(form, error)
            return self.form_invalid(form)


class SecondFactorView(AllauthSecondFactorView):
    """allauth's page asking the code at sign-in; a wrong code is answered 400, a secret
    no key of MFA_ENCRYPTION_KEYS opens 403 with the page saying so."""

    def post(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return super().post(request, *args, **kwargs)
        except SecretUnreadable as refused:
            messages.error(request, refused.args[0])
            response = self.get(request, *args, **kwargs)
            response.status_code = 403
            return response

    def form_invalid(self, form) -> HttpResponse:
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class AuthenticatorAppView(BadRequestOnInvalidForm, AllauthAuthenticatorAppView):
    """allauth's setting up of an authenticator app (its QR code in the page:
    templates/mfa/totp/activate_form.html); a wrong code is answered 400. The right one
    counts as the second factor of this session (staff may then work at once)."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        second_factor_record(self.request, Authenticator.Type.TOTP)
        return response


@never_cache
@login_required
@require_GET
def account_home(request: HttpRequest) -> HttpResponse:
    """My account: the modules' links to my work and their blocks of my things."""
    panels = account_panels(user=request.user)
    roles = user_roles(user=request.user)
    return render(
        request,
        "accounts/account.html",
        {
            "roles": sorted(roles),
            "administrator": Role.ADMINISTRATOR in roles,
            "consents": request.user.consents.all(),
            "work": [link for panel in panels for link in panel.links],
            "panels": [panel for panel in panels if panel.template],
        },
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=_write_rate, method="POST", block=True)
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.user_profile_update(
                    user=user,
                    pseudonym=form.cleaned_data["pseudonym"],
                    notifications=form.notifications_chosen(),
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(request, _("Your preferences are saved."))
                return redirect("account_preferences")
        status = 400
    return render(request, "accounts/preferences.html", {"form": form}, status=status)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=_export_rate, method="POST", block=True)
def data_export(request: HttpRequest) -> HttpResponse:
    """GET: what the archive holds, and where the person's stands (its progress, its
    download, its failure); POST: ask for it (a Celery job, accounts.archives), then
    back here. The page module follows the job and reloads the page when it ends;
    without JavaScript, a link reloads it."""
    if request.method == "POST":
        archives.archive_request(user=request.user)
        return redirect("account_data")
    parts = [m.personal_data_description for m in modules() if m.personal_data_description]
    job = archives.archive_job_current(user=request.user)
    state = job_state(job) if job else None
    return render(
        request,
        "accounts/data.html",
        {
            "parts": parts,
            "job": job,
            "state": state,
            "running": job is not None and job.status in archives.UNFINISHED,
            "expires_at": archives.archive_expires_at(job) if job else None,
            "keep_days": settings.DATA_EXPORT_KEEP_DAYS,
            "config": {"jobUrl": reverse("api:job-detail", args=[job.pk])} if job else None,
        },
    )


@never_cache
@login_required
@require_GET
def data_export_download(request: HttpRequest, job: uuid.UUID) -> FileResponse:
    """The person's own ready archive; anyone else's, or one expired, is not found."""
    ready = archives.archive_ready(user=request.user, job_id=job)
    if ready is None:
        raise Http404(_("This archive does not exist or is no longer kept."))
    day = timezone.localdate(ready.finished_at).isoformat()
    return FileResponse(
        archives.archive_path(ready.pk).open("rb"),
        as_attachment=True,
        filename=f"carto-concertation-{day}.zip",
        content_type="application/zip",
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=_write_rate, method="POST", block=True)
def account_delete(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.user_delete(user=request.user, password=form.cleaned_data["password"])
        except ValidationError as error:
            _add_errors(form, error)
        else:
            logout(request)
            messages.success(request, _("Your account is deleted."))
            return redirect("home")
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/delete.html", {"form": form}, status=status)


@never_cache
@csrf_exempt  # RFC 8058: mail clients POST here without cookies; the signed token suffices.
@require_http_methods(["GET", "POST"])
@ratelimit(key="ip", rate=_write_rate, method="POST", block=True)
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link checkers open links: a GET never changes anything); POST stops that
    kind of e-mail, from the page's button or from the mail client's one-click button."""
    found = unsubscribe_read(token)
    user = User.objects.filter(pk=found[0]).first() if found else None
    if user is None:
        return render(request, "accounts/unsubscribe.html", {"invalid": True}, status=400)
    kind = found[1]
    what = notification_kind_map()[kind].label
    if request.method == "POST":
        services.notifications_unsubscribe(user_id=user.pk, kind=kind)
        return render(request, "accounts/unsubscribe.html", {"what": what, "done": True})
    return render(request, "accounts/unsubscribe.html", {"what": what, "token": token})


def _privacy_context() -> dict:
    return {
        "processings": register_lines(),
        "controller": settings.PRIVACY_CONTROLLER,
        "dpo_email": settings.PRIVACY_DPO_EMAIL,
    }


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    """The charter and the privacy notice, its durations read from today's settings."""
    return render(
        request,
        "accounts/privacy.html",
        {"version": settings.CONSENT_VERSION, **_privacy_context()},
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=_write_rate, method="POST", block=True)
def consent(request: HttpRequest) -> HttpResponse:
    """The current version of the notice accepted (recorded with the version and the date),
    asked by consent.ConsentMiddleware; then back to the page the person was going to."""
    going_to = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    form = ConsentForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.consent_record(user=request.user, version=settings.CONSENT_VERSION)
            messages.success(
                request,
                _("Thank you: your acceptance of version %(version)s is recorded.")
                % {"version": settings.CONSENT_VERSION},
            )
            return redirect(going_to)
        status = 400
    return render(
        request,
        "accounts/consent.html",
        {
            "form": form,
            "version": settings.CONSENT_VERSION,
            "accepted": request.user.consent_version,
            "outdated": consent_outdated(request.user),
            "next": going_to,
        },
        status=status,
    )


def _administrators_only(request: HttpRequest) -> None:
    if not user_is_administrator(user=request.user):
        raise PermissionDenied(_("The record of processing is for administrators."))


@never_cache
@require_GET
def register_page(request: HttpRequest) -> HttpResponse:
    """The record of processing (registre des traitements) for administrators and the
    DPO, under the admin site (/admin/registre/)."""
    _administrators_only(request)
    return render(
        request,
        "accounts/register.html",
        {
            **admin.site.each_context(request),
            "title": _("Record of processing"),
            **_privacy_context(),
        },
    )


@never_cache
@require_GET
def register_download(request: HttpRequest) -> HttpResponse:
    """The record as CSV (UTF-8 with BOM, semicolons) for a spreadsheet."""
    _administrators_only(request)
    day = timezone.localdate().isoformat()
    response = HttpResponse(register_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="registre-traitements-{day}.csv"'
    return response


# The accounts one search shows at most.
SEARCH_SHOWN = 20


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=_write_rate, method="POST", block=True)
def second_factor_reset(request: HttpRequest) -> HttpResponse:
    """An administrator finds an account by its e-mail address or pseudonym and removes
    its authenticator app, lost with a phone: the person sets up a new one at their next
    sign-in."""
    if not user_is_administrator(user=request.user):
        raise PermissionDenied
    search = request.GET.get("q", "").strip()
    form = AuthenticatorsRemoveForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            person = form.cleaned_data["user"]
            try:
                services.authenticators_remove(user=person, by=request.user)
            except ValidationError as error:
                _add_errors(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The authenticator app of %(person)s is removed: at their next "
                        "sign-in they set up a new one."
                    )
                    % {"person": person.pseudonym},
                )
                return redirect("second-factor-reset")
        status = 400
    found = accounts_with_authenticators(search=search)[:SEARCH_SHOWN] if search else None
    return render(
        request,
        "accounts/second_factor_reset.html",
        {"form": form, "search": search, "found": found},
        status=status,
    )
