# SPDX-License-Identifier: AGPL-3.0-or-later
"""The follow-up's pages, in French, working without JavaScript: the news of the works
of a project (its porteur and the territory's agents post them; the agents take one
back), following a project (POST, back to its page with a message), and the photo of a
news. Writes go through the services; a ValidationError re-shows the form."""

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from carto_concertation.core.throttles import page_throttled

from ..models import Project
from ..selectors.followup import is_following, news_of, project_news
from ..selectors.projects import project_managed, project_public
from ..services.followup import (
    NEWS_STATUSES,
    TEXT_MAX,
    news_delete,
    news_publish,
    project_follow,
    project_unfollow,
    works_news_post,
)


class NewsForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"), widget=forms.DateInput(attrs={"type": "date"})
    )
    text = forms.CharField(
        label=pgettext_lazy("crowdfunding works", "News"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    photo = forms.FileField(label=gettext_lazy("Photo"), required=False)
    inaugurated = forms.BooleanField(
        label=gettext_lazy("This news is the inauguration"),
        required=False,
        help_text=gettext_lazy("The project is then shown as inaugurated."),
    )


def _errors_onto(form: forms.Form, exc: ValidationError) -> None:
    """A service's errors under the form's fields (elsewhere: the form's own)."""
    for name, errors in exc.message_dict.items():
        form.add_error(name if name in form.fields else None, errors)


def _public_or_404(slug: str) -> Project:
    project = project_public(slug)
    if project is None:
        raise Http404
    return project


def _news_acted(request: HttpRequest, project: Project) -> None:
    """Take back or publish the news the agent names (``action``); the service checks the
    permission on the project."""
    agent = request.user.has_perm("crowdfunding.review", project)
    update = news_of(project, _int(request.POST.get("news")), request.user, with_hidden=agent)
    if update is None:
        raise Http404
    if request.POST.get("action") == "publish":
        news_publish(user=request.user, update=update)
        messages.success(request, _("The news is published: its followers hear of it."))
    else:
        news_delete(user=request.user, update=update)
        messages.success(request, _("The news is taken back."))


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404 from None


@require_http_methods(["GET", "POST"])
def news_page(request: HttpRequest, slug: str) -> HttpResponse:
    """gestion/<slug>/nouvelles/: post a news of the works (the porteur or an agent), the
    news already posted, each with "take back" for the agents, and "publish" for a banned
    author's hidden news they reviewed (``action`` says which)."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    project = project_managed(request.user, slug)
    if project is None:
        raise Http404
    form = NewsForm(initial={"date": timezone.localdate()})
    status = 200
    if request.method == "POST":
        if refused := page_throttled(request, "crowdfunding_news"):
            return refused
        if request.POST.get("action") in ("delete", "publish"):
            _news_acted(request, project)
            return redirect("crowdfunding:news", slug)
        form = NewsForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                works_news_post(user=request.user, project=project, **form.cleaned_data)
                messages.success(request, _("The news of the works is published."))
                return redirect("crowdfunding:news", slug)
            except ValidationError as exc:
                _errors_onto(form, exc)
        status = 400
    agent = request.user.has_perm("crowdfunding.review", project)
    return render(
        request,
        "crowdfunding/followup/news.html",
        {
            "project": project,
            "form": form,
            "may_post": project.status in NEWS_STATUSES,
            "may_delete": agent,
            # The agents see a banned author's news too, marked, to take it back.
            "news": list(project_news(project, request.user, with_hidden=agent)),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def follow_page(request: HttpRequest, slug: str) -> HttpResponse:
    """<slug>/suivre/: POST ``action=follow|unfollow`` (signed in), back to the project's
    page with a message. GET (where one lands after signing in) asks again."""
    project = _public_or_404(slug)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.method == "GET":
        return render(
            request,
            "crowdfunding/followup/follow.html",
            {"project": project, "follows": is_following(project, request.user)},
        )
    if refused := page_throttled(request, "crowdfunding_follow"):
        return refused
    try:
        if request.POST.get("action") == "unfollow":
            project_unfollow(user=request.user, project=project)
            messages.success(request, _("You no longer follow this project."))
        else:
            project_follow(user=request.user, project=project)
            messages.success(
                request, _("You follow this project: you will hear of the news of its works.")
            )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("crowdfunding:project", slug)


@require_GET
def news_photo(request: HttpRequest, slug: str, pk: int) -> FileResponse:
    """The photo of a news (re-encoded JPEG, without metadata)."""
    project = _public_or_404(slug)
    agent = request.user.has_perm("crowdfunding.review", project)
    update = news_of(project, pk, request.user, with_hidden=agent)
    if update is None or not update.photo:
        raise Http404
    response = FileResponse(update.photo.open("rb"), content_type="image/jpeg")
    # A hidden news' photo is its author's alone: no shared cache keeps it.
    response["Cache-Control"] = "private, no-store" if update.hidden else "public, max-age=86400"
    return response
