# SPDX-License-Identifier: AGPL-3.0-or-later
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.gis.geos import Point
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from carto_concertation.core.modules import space_public

from .forms import NoticeForm
from .selectors import notices_of
from .services import notice_post


def board(request: HttpRequest, slug: str) -> HttpResponse:
    """A space's notices, and the form that pins one (no JavaScript needed)."""
    space = space_public(slug)
    if space is None:
        raise Http404
    form = NoticeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        location = Point(form.cleaned_data["longitude"], form.cleaned_data["latitude"], srid=4326)
        location.transform(settings.SRID)
        try:
            notice_post(
                space=space, author=request.user, text=form.cleaned_data["text"], location=location
            )
        except PermissionDenied:
            return redirect_to_login(request.get_full_path())
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                form.add_error(field if field in form.fields else None, messages)
        else:
            return redirect(request.path)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "noticeboard/board.html",
        {"space": space, "notices": notices_of(space), "form": form},
        status=status,
    )
