# SPDX-License-Identifier: AGPL-3.0-or-later
"""The moderators' back office (/moderation/), the residents' report page
(/signaler/<model>/<pk>/) and the public moderation log of a space: pages in French, each
form a POST that works without JavaScript. The items and their actions are the modules'
(ModuleManifest.moderation): the views check the moderator's territory, call the module's
services, and say what happened."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.decorators import ratelimit

from carto_concertation.accounts.models import Role
from carto_concertation.core.throttles import api_scope_rate

from . import backoffice, services
from .forms import ActionForm, BanForm, HideForm, MergeForm, ReportForm
from .models import Ban
from .reasons import HIDE_REASONS, OTHER
from .selectors import bans_of

LOG_PAGE_SIZE = 25
ACTIONS = {
    "approve": gettext_lazy("approved"),
    "hide": gettext_lazy("hidden"),
    "restore": gettext_lazy("restored"),
}


def _error_text(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(m for messages_ in error.message_dict.values() for m in messages_)
    return " ".join(error.messages)


def _int_or_none(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@login_required
@require_GET
def moderation_home(request: HttpRequest) -> HttpResponse:
    """The territories and spaces the person moderates, with their counts."""
    if not backoffice.moderated_territories(request.user).exists():
        raise PermissionDenied
    territory_id = _int_or_none(request.GET.get("territoire"))
    overview = backoffice.moderation_overview(request.user, territory_id)
    return render(
        request,
        "engagement/moderation_home.html",
        {
            "overview": overview,
            "territories": backoffice.moderated_territories(request.user),
            "territory_id": territory_id,
        },
    )


@login_required
@require_GET
def moderation_space(request: HttpRequest, slug: str) -> HttpResponse:
    """The queue of one space: what waits or is reported, and what is hidden."""
    space = backoffice.space_for_moderator(request.user, slug)
    declared = backoffice.moderated_models_of(space)
    model = request.GET.get("type", "")
    if model not in {d.model for d in declared}:
        model = ""
    queue, hidden = backoffice.space_queue(space, model)
    labels = {d.model: d.label for d in declared}

    def shown(entries, suffix=""):
        # Each entry's key names its form fields apart from the others' on the page.
        return [(e, labels[e.model], f"{slugify(e.model)}-{e.pk}{suffix}") for e in entries]

    return render(
        request,
        "engagement/moderation_space.html",
        {
            "space": space,
            "declared": declared,
            "model": model,
            "queue": shown(queue),
            "hidden": shown(hidden, "-hidden"),
            "counts": backoffice.space_counts(space),
            "hide_reasons": [*HIDE_REASONS, (OTHER, _("Other reason"))],
        },
    )


def _queue_url(space, model: str = "") -> str:
    url = reverse("moderation-space", args=[space.slug])
    return f"{url}?{urlencode({'type': model})}" if model else url


@login_required
@require_POST
@ratelimit(key="user", rate=api_scope_rate("moderation"), method="POST", block=True)
def moderation_act(
    request: HttpRequest, slug: str, model: str, pk: int, action: str
) -> HttpResponse:
    """Approve, hide (with a reason) or restore one item, then back to the queue."""
    space = backoffice.space_for_moderator(request.user, slug)
    declared, entry = backoffice.entry_in_space(space, model, pk)
    if action not in declared.act:
        raise Http404
    form = (HideForm if action == "hide" else ActionForm)(request.POST)
    back = _queue_url(space, request.POST.get("type", ""))
    if not form.is_valid():
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
        return redirect(back)
    reason = form.cleaned_data["text"] if action == "hide" else form.cleaned_data["reason"]
    try:
        declared.act[action](pk, request.user, reason)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    else:
        messages.success(
            request,
            _("“%(title)s” is %(action)s.") % {"title": entry.title, "action": ACTIONS[action]},
        )
    return redirect(back)


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=api_scope_rate("moderation"), method="POST", block=True)
def moderation_merge(request: HttpRequest, slug: str, model: str, pk: int) -> HttpResponse:
    """Two twin items side by side (with their places), and the form that merges the
    first into the second; without a second one chosen, the candidates."""
    space = backoffice.space_for_moderator(request.user, slug)
    declared, entry = backoffice.entry_in_space(space, model, pk)
    if declared.merge is None:
        raise Http404
    form = MergeForm(request.POST or None, initial={"into": request.GET.get("into")})
    into_pk = _int_or_none(request.POST.get("into") or request.GET.get("into"))
    into = None
    if into_pk is not None:
        _declared, into = backoffice.entry_in_space(space, model, into_pk)
        if into.pk == entry.pk:
            into = None
    status = 200
    if request.method == "POST" and form.is_valid() and into is not None:
        try:
            declared.merge(pk, into.pk, request.user, form.cleaned_data["reason"])
        except ValidationError as error:
            messages.error(request, _error_text(error))
            status = 400
        else:
            messages.success(
                request,
                _("“%(title)s” is merged into “%(into)s”.")
                % {"title": entry.title, "into": into.title},
            )
            return redirect(_queue_url(space))
    elif request.method == "POST":
        status = 400
        messages.error(request, _("Choose the idea to merge it into."))
    candidates = declared.merge_candidates(pk) if declared.merge_candidates else []
    places = [
        {"label": e.title, "lon": e.place[0], "lat": e.place[1]}
        for e in (entry, into)
        if e is not None and e.place is not None
    ]
    return render(
        request,
        "engagement/moderation_merge.html",
        {
            "space": space,
            "declared": declared,
            "entry": entry,
            "into": into,
            "candidates": [c for c in candidates if c.pk != pk],
            "form": form,
            "places": places,
            "map_config": {
                "style": reverse("map-style", args=[space.slug]),
                # MapLibre's control labels in the page's language (screen readers).
                "locale": {
                    "NavigationControl.ZoomIn": _("Zoom in"),
                    "NavigationControl.ZoomOut": _("Zoom out"),
                    "AttributionControl.ToggleAttribution": _("Sources of the map"),
                    "Map.Title": _("Map"),
                },
            },
        },
        status=status,
    )


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return fallback


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=api_scope_rate("report"), method="POST", block=True)
def report_form(request: HttpRequest, model: str, pk: int) -> HttpResponse:
    """A resident reports a public item to the moderators, with a reason."""
    declared, entry = backoffice.reportable_entry(model, pk)
    form = ReportForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            declared.report(pk, request.user, form.cleaned_data["text"])
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error("reason" if name not in form.fields else name, errors)
        else:
            messages.success(request, _("Thank you: the moderators will read your report."))
            return redirect(_safe_next(request, entry.url))
    return render(
        request,
        "engagement/report.html",
        {
            "declared": declared,
            "entry": entry,
            "form": form,
            "next": _safe_next(request, ""),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_GET
def moderation_log_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The public log of a space: every decision, its date, the role that took it (never
    a person), its reason, a link to the item where it is public."""
    space, lines = backoffice.log_space(slug)
    page = Paginator(lines, LOG_PAGE_SIZE).get_page(request.GET.get("page"))
    links = backoffice.log_links(page.object_list)
    roles = dict(Role.choices)
    rows = [
        (line, roles.get(line.role, line.role), links.get(line.pk)) for line in page.object_list
    ]
    return render(
        request,
        "engagement/moderation_log.html",
        {"space": space, "page": page, "rows": rows},
    )


@login_required
@require_http_methods(["GET", "POST"])
@ratelimit(key="user", rate=api_scope_rate("moderation"), method="POST", block=True)
def moderation_bans(request: HttpRequest) -> HttpResponse:
    """The bans of the territories the person moderates (in force, then the record), and
    the form that bans an account from one of them."""
    territories = backoffice.moderated_territories(request.user)
    if not territories.exists():
        raise PermissionDenied
    form = BanForm(request.POST or None, territories=territories)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.ban_create(
                territory=data["territory"],
                user=data["account"],
                reason=data["reason"],
                ends_at=form.ends_at(),
                banned_by=request.user,
            )
        except ValidationError as error:
            for name, errors in error.message_dict.items():
                form.add_error(
                    {"ends_at": "ends_on"}.get(name, name if name in form.fields else None),
                    errors,
                )
        else:
            messages.success(
                request,
                _("%(pseudonym)s is banned from %(territory)s.")
                % {"pseudonym": data["account"].pseudonym, "territory": data["territory"].name},
            )
            return redirect("moderation-bans")
    return render(
        request,
        "engagement/moderation_bans.html",
        {"form": form, "bans": bans_of(territories)},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
@require_POST
@ratelimit(key="user", rate=api_scope_rate("moderation"), method="POST", block=True)
def moderation_ban_lift(request: HttpRequest, pk: int) -> HttpResponse:
    """Lift a ban of a territory the person moderates."""
    ban = get_object_or_404(
        Ban.objects.select_related("user", "territory"),
        pk=pk,
        territory__in=backoffice.moderated_territories(request.user),
    )
    services.ban_lift(ban=ban, lifted_by=request.user)
    messages.success(
        request,
        _("The ban of %(pseudonym)s from %(territory)s is lifted.")
        % {"pseudonym": ban.user.pseudonym, "territory": ban.territory.name},
    )
    return redirect("moderation-bans")
