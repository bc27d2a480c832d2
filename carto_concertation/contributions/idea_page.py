# SPDX-License-Identifier: AGPL-3.0-or-later
"""The public page of one idea (its permalink): the no-JavaScript twin of the map's
panel. Text, photos, place, status and answer, supports, comments with their dates, and
forms that post and redirect: support or withdraw one's support, comment, follow, and for
its author edit or withdraw. Each write goes through the same service and the same rate
limit (scope) as the API's; a hidden idea shows its moderation placeholder alone."""

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from carto_concertation.concertations.models import Concertation
from carto_concertation.concertations.selectors import space_allows
from carto_concertation.core.throttles import page_throttled
from carto_concertation.engagement.models import Comment

from . import comments, follow, selectors, services
from .api import concertations_with_ideas
from .map_page import concertation_style_inline
from .models import IDEAS_MODULE, Contribution, IdeasSettings
from .permissions import AUTHOR_EDITABLE
from .serializers import hidden_placeholder
from .tallies import as_its_voter_reads

# The choices of each vote mode, as the map's panel offers them.
VOTE_CHOICES = {
    IdeasSettings.VoteMode.SUPPORT: ((1, "support"),),
    IdeasSettings.VoteMode.FOR_AGAINST: ((1, "for"), (-1, "against")),
    IdeasSettings.VoteMode.RATING: ((-2, "−2"), (-1, "−1"), (1, "+1"), (2, "+2")),
}


def _concertation(slug: str) -> Concertation:
    return get_object_or_404(concertations_with_ideas(), slug=slug)


def _idea(request: HttpRequest, concertation: Concertation, pk: int) -> Contribution:
    idea = selectors.contribution_page_get(concertation=concertation, pk=pk)
    if idea is None or not selectors.contribution_visible_to(contribution=idea, user=request.user):
        raise Http404
    return idea


def _allows(concertation: Concertation, feature: str) -> bool:
    return space_allows(concertation=concertation, module=IDEAS_MODULE, feature=feature)


def _sign_in(slug: str, pk: int) -> HttpResponse:
    """To the sign-in page, and back to the idea's page after."""
    return redirect(f"{reverse('account_login')}?next={reverse('idea', args=[slug, pk])}")


def _back(idea: Contribution, anchor: str = "") -> HttpResponse:
    return redirect(reverse("idea", args=[idea.concertation.slug, idea.pk]) + anchor)


def _errors(request: HttpRequest, exc: Exception) -> None:
    """A refused write, told on the page it came back to."""
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        for text in (m for field in exc.message_dict.values() for m in field):
            messages.error(request, text)
    else:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))


def idea_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """An idea's own page, for everyone (the moderation's placeholder for a hidden one)."""
    concertation = _concertation(slug)
    idea = _idea(request, concertation, pk)
    hidden = idea.status == Contribution.Status.HIDDEN
    public = idea.status in selectors.PUBLIC_STATUSES
    state = selectors.contribution_viewer_state(contribution=idea, user=request.user)
    settings = selectors.ideas_settings_of(concertation)
    as_its_voter_reads(idea, settings.vote_mode, state["own_uncounted"])
    place = None if hidden else idea.geom_wgs84
    point = place.point_on_surface if place else None
    geometry = json.loads(place.json) if place else None
    can_edit = (
        state["is_author"] and idea.status in AUTHOR_EDITABLE and _allows(concertation, "edit")
    )
    can_withdraw = (
        state["is_author"]
        and idea.status in (*AUTHOR_EDITABLE, Contribution.Status.UNDER_STUDY)
        and _allows(concertation, "edit")
    )
    return render(
        request,
        "contributions/idea.html",
        {
            "concertation": concertation,
            "idea": idea,
            "hidden": hidden,
            "placeholder": hidden_placeholder(idea.moderation_reason) if hidden else "",
            "public": public,
            "state": state,
            "vote_mode": settings.vote_mode,
            "vote_choices": VOTE_CHOICES[settings.vote_mode],
            "threads": selectors.comment_public_list(contribution=idea) if public else [],
            "can_comment": public and _allows(concertation, "comment"),
            "can_edit": can_edit,
            "can_withdraw": can_withdraw,
            "map_url": (
                f"{reverse('concertation', args=[slug])}?idee={idea.pk}"
                + (f"&lon={point.x:.6f}&lat={point.y:.6f}" if point else "")
                + "#map"
            ),
            "geometry": geometry,
            "permalink": request.build_absolute_uri(reverse("idea", args=[slug, idea.pk])),
            "style": concertation_style_inline(request, concertation) if geometry else None,
            "comment_status": Comment.Status,
        },
    )


@require_POST
def idea_vote(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Give one's support (or opinion), or withdraw it (``value`` 0)."""
    if not request.user.is_authenticated:
        return _sign_in(slug, pk)
    idea = _idea(request, _concertation(slug), pk)
    if refused := page_throttled(request, "vote"):
        return refused
    try:
        value = int(request.POST.get("value", ""))
    except ValueError:
        value = None
    try:
        if value == 0:
            services.vote_withdraw(contribution=idea, voter=request.user)
            messages.success(request, _("Your support is withdrawn."))
        elif value is None:
            raise ValidationError({"value": _("Choose an opinion.")})
        else:
            services.vote_cast(contribution=idea, voter=request.user, value=value)
            messages.success(request, _("Your opinion is recorded."))
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return _back(idea, "#votes")


@require_POST
def idea_comment(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Comment on an idea, or reply to a comment (``parent``)."""
    if not request.user.is_authenticated:
        return _sign_in(slug, pk)
    idea = _idea(request, _concertation(slug), pk)
    if refused := page_throttled(request, "comment"):
        return refused
    parent = None
    if request.POST.get("parent", "").isdigit():
        parent = Comment.objects.of(idea).filter(pk=int(request.POST["parent"])).first()
    try:
        comment = comments.comment_create(
            contribution=idea, author=request.user, text=request.POST.get("text", ""), parent=parent
        )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
        return _back(idea, "#comments")
    if comment.status == Comment.Status.PUBLISHED:
        messages.success(request, _("Your comment is sent."))
    else:
        messages.success(request, _("Thank you; it will appear once a moderator has read it."))
    return _back(idea, f"#comment-{comment.pk}")


@require_POST
def idea_follow(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Follow an idea (``follow`` 1) or stop following it (``follow`` 0)."""
    if not request.user.is_authenticated:
        return _sign_in(slug, pk)
    idea = _idea(request, _concertation(slug), pk)
    if refused := page_throttled(request, "contribution_write"):
        return refused
    try:
        if request.POST.get("follow") == "0":
            follow.follow_remove(contribution=idea, user=request.user)
            messages.success(request, _("You no longer follow this idea."))
        else:
            follow.follow_set(contribution=idea, user=request.user)
            messages.success(
                request, _("You follow this idea: an e-mail will tell you of its answer.")
            )
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    return _back(idea, "#follow")


@require_http_methods(["GET", "POST"])
def idea_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Its author changes an idea's title, text and themes (its place on the map)."""
    if not request.user.is_authenticated:
        return _sign_in(slug, pk)
    concertation = _concertation(slug)
    idea = _idea(request, concertation, pk)
    if idea.author_id != request.user.pk:
        raise PermissionDenied(_("Only its author may change this contribution."))
    errors: dict = {}
    values = {
        "title": idea.title,
        "text": idea.text,
        "themes": [theme.pk for theme in idea.themes.all()],
    }
    if request.method == "POST":
        if refused := page_throttled(request, "contribution_write"):
            return refused
        values = {
            "title": request.POST.get("title", ""),
            "text": request.POST.get("text", ""),
            "themes": [int(v) for v in request.POST.getlist("themes") if v.isdigit()],
        }
        try:
            services.contribution_update(
                contribution=idea,
                user=request.user,
                title=values["title"],
                text=values["text"],
                theme_ids=values["themes"],
            )
        except PermissionDenied as exc:
            _errors(request, exc)
            return _back(idea)
        except ValidationError as exc:
            errors = exc.message_dict
        else:
            messages.success(request, _("Your idea is changed."))
            return _back(idea)
    return render(
        request,
        "contributions/idea_edit.html",
        {
            "concertation": concertation,
            "idea": idea,
            "values": values,
            "errors": errors,
            "themes": list(concertation.themes.all()),
        },
        status=400 if errors else 200,
    )


@require_POST
def idea_withdraw(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Its author withdraws an idea (it leaves the map; its page stays theirs)."""
    if not request.user.is_authenticated:
        return _sign_in(slug, pk)
    idea = _idea(request, _concertation(slug), pk)
    if refused := page_throttled(request, "contribution_write"):
        return refused
    try:
        services.contribution_withdraw(contribution=idea, user=request.user)
    except (ValidationError, PermissionDenied) as exc:
        _errors(request, exc)
    else:
        messages.success(request, _("Your idea is withdrawn."))
    return _back(idea)
