# SPDX-License-Identifier: AGPL-3.0-or-later
"""Engagement works on the models the modules declare (ModuleManifest.engagement_models)
and on no other: a target no module declares is refused, naming the field; a module
that declares a second model gets votes, comments and reports on it with the same
services; the ideas' counts read engagement's rows."""

import pytest
from django.core.exceptions import ValidationError

from carto_concertation.contributions import selectors
from carto_concertation.contributions.models import Contribution
from carto_concertation.core.modules import ModuleManifest, module_register, module_unregister
from carto_concertation.engagement import selectors as engagement_selectors
from carto_concertation.engagement import services
from carto_concertation.engagement.models import Comment, ModerationAction, Report, Vote
from carto_concertation.engagement.targets import engagement_models
from tests.factories import (
    CommentFactory,
    ContributionFactory,
    ModerationActionFactory,
    ReportFactory,
    UserFactory,
    VoteFactory,
)
from tests.factories.concertations import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def themes_module():
    """A module of the tests' own that declares themes as an engagement model."""
    module_register(
        ModuleManifest(
            name="theme-debate",
            label="Débat sur les thèmes",
            app_label="concertations",
            engagement_models=("concertations.Theme",),
        )
    )
    yield
    module_unregister("theme-debate")


def test_the_ideas_declare_their_contributions():
    assert "contributions.contribution" in engagement_models()
    assert "concertations.theme" not in engagement_models()


def test_a_target_no_module_declares_is_refused_naming_the_field():
    theme, person = ThemeFactory(), UserFactory()
    for write in (
        lambda: services.vote_set(target=theme, voter=person, value=1),
        lambda: services.comment_write(
            target=theme, author=person, text="Bonjour", parent=None, status="published"
        ),
        lambda: services.report_write(target=theme, reporter=person, reason="Hors sujet"),
    ):
        with pytest.raises(ValidationError) as refused:
            write()
        assert list(refused.value.message_dict) == ["target"]
        assert "concertations.Theme" in refused.value.message_dict["target"][0]
    assert not (Vote.objects.exists() or Comment.objects.exists() or Report.objects.exists())


def test_a_second_declared_model_takes_votes_comments_and_reports(themes_module):
    theme, person, neighbour = ThemeFactory(), UserFactory(), UserFactory()
    vote, previous = services.vote_set(target=theme, voter=person, value=1)
    assert (vote.target, previous) == (theme, None)
    assert services.vote_set(target=theme, voter=person, value=-1)[1] == 1
    assert list(Vote.objects.of(theme).values_list("value", flat=True)) == [-1]
    comment = services.comment_write(
        target=theme, author=person, text=" Un thème utile ", parent=None, status="published"
    )
    reply = services.comment_write(
        target=theme, author=neighbour, text="Oui", parent=comment, status="published"
    )
    assert comment.text == "Un thème utile"
    [thread] = engagement_selectors.comment_threads(target=theme)
    assert [r.pk for r in thread.replies.all()] == [reply.pk]
    report = services.report_write(target=reply, reporter=person, reason="Hors sujet")
    assert report.target == reply
    with pytest.raises(ValidationError) as twice:
        services.report_write(target=reply, reporter=person, reason="Encore")
    assert list(twice.value.message_dict) == ["reason"]
    services.reports_resolve(target=reply)
    assert Report.objects.get(pk=report.pk).resolved_at is not None
    assert services.vote_delete(target=theme, voter=person) == -1
    # An idea's debate stays its own.
    assert not Comment.objects.of_model(Contribution).exists()


def test_a_reply_goes_to_a_comment_of_the_same_target(themes_module):
    first, second, person = ThemeFactory(), ThemeFactory(), UserFactory()
    comment = services.comment_write(
        target=first, author=person, text="Ici", parent=None, status="published"
    )
    with pytest.raises(ValidationError) as refused:
        services.comment_write(
            target=second, author=person, text="Là", parent=comment, status="published"
        )
    assert list(refused.value.message_dict) == ["parent"]


def test_the_ideas_engagement_goes_through_the_generic_rows_and_counts_alike():
    idea = ContributionFactory()
    VoteFactory(contribution=idea)
    VoteFactory(contribution=idea)
    comment = CommentFactory(contribution=idea)
    CommentFactory(contribution=idea, parent=comment)
    ReportFactory(contribution=idea)
    ReportFactory(comment=comment)
    line = ModerationActionFactory(contribution=ContributionFactory(concertation=idea.concertation))

    idea.refresh_from_db()
    assert idea.votes_for == 2 == idea.votes.count() == Vote.objects.of(idea).count()
    assert selectors.contribution_get(pk=idea.pk).comment_count == 2 == idea.comments.count()
    assert Comment.objects.filter(contribution__concertation=idea.concertation).count() == 2
    assert idea.reports.count() == 1 and comment.reports.count() == 1
    assert comment.target == idea and comment.content_type.model_class() is Contribution
    assert line.space == idea.concertation
    assert list(idea.concertation.moderation_log.all()) == [line]
    assert ModerationAction.objects.filter(concertation=idea.concertation).count() == 1
    # An idea deleted (in the admin): the public log keeps its line.
    hidden_idea = line.target
    hidden_idea.delete()
    assert ModerationAction.objects.get() == line
    # The concertation gone, its log and its ideas' engagement go with it.
    idea.concertation.delete()
    assert not (
        Vote.objects.exists()
        or Comment.objects.exists()
        or Report.objects.exists()
        or ModerationAction.objects.exists()
    )
