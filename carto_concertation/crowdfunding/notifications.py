# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's e-mails to the followers of a project, all through the house's
``accounts.notifications.notify`` (each person's choice per kind holds; every e-mail has
its one-click unsubscribe link). The kind is declared in the manifest. The guide asks
porteurs to "communicate after the campaign": its end and the news of the works go to
the project's followers."""

from django.conf import settings
from django.urls import reverse

from carto_concertation.accounts.notifications import notify

from .models import Project, ProjectFollower

NEWS_KIND = "crowdfunding_project_news"


def project_url(project: Project) -> str:
    """The project's public page, as a link in an e-mail."""
    return settings.SITE_URL + reverse("crowdfunding:project", args=[project.slug])


def followers_tell(
    project: Project, *, subject: str, body: str, author_id: int | None = None
) -> int:
    """Write to the project's followers (the author of the news, if one, hears nothing of
    their own). How many were written to; each e-mail leaves once the current
    transaction commits (notify), so a rolled-back write sends nothing."""
    followers = ProjectFollower.objects.filter(project=project).select_related("user")
    count = 0
    for follower in followers:
        if author_id is not None and follower.user_id == author_id:
            continue
        notify(user=follower.user, kind=NEWS_KIND, subject=subject, body=body)
        count += 1
    return count
