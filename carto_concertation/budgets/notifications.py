# SPDX-License-Identifier: AGPL-3.0-or-later
"""The participatory budget's e-mails, all through the house's
``accounts.notifications.notify`` (each person's choice per kind holds; every e-mail has
its one-click unsubscribe link). Kinds are declared in the manifest."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from carto_concertation.accounts.notifications import notify

from .models import ProjectFollower, ProjectUpdate

NEWS_KIND = "budget_project_news"


def project_followup_url(project) -> str:
    """The public follow-up page of a winner."""
    return settings.SITE_URL + reverse(
        "budgets:project-followup", args=[project.edition.slug, project.number]
    )


def project_news_tell(update: ProjectUpdate) -> int:
    """Tell the followers of the news' project (its author, if one, hears nothing of their
    own news). How many were written to."""
    project = update.project
    with translation.override(settings.LANGUAGE_CODE):
        subject = _("News of “%(title)s”") % {"title": project.title}
        lines = [
            _("News of the project “%(title)s” (%(edition)s), dated %(date)s:")
            % {
                "title": project.title,
                "edition": project.edition.title,
                "date": update.date.strftime("%d/%m/%Y"),
            },
            "",
            update.text,
        ]
        if update.realisation:
            lines += ["", _("Realisation: %(state)s") % {"state": update.get_realisation_display()}]
        if update.progress is not None:
            lines.append(_("Progress: %(progress)s %%") % {"progress": update.progress})
        lines += [
            "",
            _("The follow-up of the project: %(url)s") % {"url": project_followup_url(project)},
        ]
        body = "\n".join(str(line) for line in lines)
    followers = ProjectFollower.objects.filter(project=project).select_related("user")
    count = 0
    for follower in followers:
        if follower.user_id == update.author_id:
            continue
        notify(user=follower.user, kind=NEWS_KIND, subject=subject, body=body)
        count += 1
    return count
