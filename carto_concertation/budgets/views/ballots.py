# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ballot's pages, in French, each working without JavaScript: the ballot builder
(``<slug>/vote/``: the declarations, a map and a list of the projects; the list is a plain
form the page's module drives from the map), its confirmation, and the agents' double
entry of paper sheets (``gestion/<slug>/papier/``). Writes go through the services; a
ValidationError re-shows the form with the field's message and nothing written."""

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from carto_concertation.core.throttles import page_throttled

from ..models import Edition, PaperBallotEntry
from ..selectors.ballots import (
    ballot_of,
    editions_public,
    has_voted,
    paper_entries,
    projects_on_ballot,
    vote_phase,
)
from ..services.ballots import Declarations, ballot_cast, vote_open
from ..services.paper import paper_enter, paper_resolve
from .ballot_forms import PaperForm, VoteForm, ballot_config, errors_onto


def _edition(slug: str) -> Edition:
    return get_object_or_404(editions_public(), slug=slug)


def vote_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The ballot builder: declarations, map and list of the projects on the ballot."""
    edition = _edition(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    projects = list(projects_on_ballot(edition))
    ballot = ballot_of(edition, request.user)
    is_open = vote_open(edition)
    form = VoteForm(
        request.POST if request.method == "POST" else None,
        edition=edition,
        projects=projects,
        ballot=ballot,
    )
    if request.method == "POST" and (refused := page_throttled(request, "budget_ballot")):
        return refused
    if request.method == "POST" and form.is_valid():
        try:
            ballot_cast(
                edition=edition,
                user=request.user,
                choices=form.choices(),
                declarations=Declarations(
                    resident=form.cleaned_data["resident"],
                    of_age=form.cleaned_data.get("of_age", False),
                    district=form.cleaned_data.get("district"),
                ),
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            return redirect("budgets:vote-done", slug=edition.slug)
    return render(
        request,
        "budgets/ballots/vote.html",
        {
            "edition": edition,
            "form": form,
            "rows": form.rows(),
            "vote_open": is_open,
            "phase": vote_phase(edition),
            "voted": has_voted(edition, request.user),
            "config": ballot_config(edition, projects),
        },
        status=400 if form.is_bound else 200,
    )


def vote_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation: the ballot as stored, and the way to change it."""
    edition = _edition(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    ballot = ballot_of(edition, request.user)
    choices = sorted(
        ballot.choices.all() if ballot else [], key=lambda c: (c.rank or 0, c.project.number)
    )
    return render(
        request,
        "budgets/ballots/done.html",
        {
            "edition": edition,
            "ballot": ballot,
            "choices": choices,
            "total": sum(c.project.cost for c in choices),
            "vote_open": vote_open(edition),
            "phase": vote_phase(edition),
            "voted": has_voted(edition, request.user),
        },
    )


def _agent_edition(request: HttpRequest, slug: str) -> Edition:
    edition = _edition(slug)
    if not request.user.has_perm("budgets.enter_paper", edition):
        raise PermissionDenied
    return edition


def paper_page(request: HttpRequest, slug: str) -> HttpResponse:
    """Type in a paper sheet, and the sheets to check (the disagreements first)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    edition = _agent_edition(request, slug)
    form = PaperForm(request.POST if request.method == "POST" else None, edition=edition)
    if request.method == "POST" and form.is_valid():
        try:
            entry = paper_enter(
                edition=edition,
                agent=request.user,
                station=form.cleaned_data["station"],
                sheet=form.cleaned_data["sheet"],
                district=form.cleaned_data.get("district"),
                choices=form.cleaned_data["choices"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            request.session["budgets_paper_last"] = entry.state
            return redirect("budgets:paper", slug=edition.slug)
    return _paper_render(request, edition, form, status=400 if form.is_bound else 200)


def _paper_render(request, edition, form, *, status=200, resolving=None) -> HttpResponse:
    entries = paper_entries(edition)
    can_resolve = request.user.has_perm("budgets.run", edition)
    return render(
        request,
        "budgets/ballots/paper.html",
        {
            "edition": edition,
            "form": form,
            "last_state": request.session.pop("budgets_paper_last", None),
            "disagreed": [
                (e, resolving[1] if resolving and resolving[0] == e.pk else None)
                for e in entries
                if e.state == PaperBallotEntry.State.DISAGREED
            ],
            "waiting": [e for e in entries if e.state == PaperBallotEntry.State.FIRST],
            "agreed": sum(1 for e in entries if e.state == PaperBallotEntry.State.AGREED),
            "can_resolve": can_resolve,
            "resolve_form": PaperForm(edition=edition, resolving=True),
        },
        status=status,
    )


def paper_resolve_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """POST: the right version of a sheet whose entries disagree."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    edition = _agent_edition(request, slug)
    entry = get_object_or_404(PaperBallotEntry, edition=edition, pk=pk)
    if request.method != "POST":
        return redirect("budgets:paper", slug=edition.slug)
    form = PaperForm(request.POST, edition=edition, resolving=True)
    if form.is_valid():
        try:
            paper_resolve(
                entry=entry,
                agent=request.user,
                district=form.cleaned_data.get("district"),
                choices=form.cleaned_data["choices"],
            )
        except ValidationError as error:
            errors_onto(form, error)
        else:
            request.session["budgets_paper_last"] = "resolved"
            return redirect("budgets:paper", slug=edition.slug)
    return _paper_render(
        request, edition, PaperForm(edition=edition), status=400, resolving=(entry.pk, form)
    )
