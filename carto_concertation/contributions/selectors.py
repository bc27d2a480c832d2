# SPDX-License-Identifier: AGPL-3.0-or-later
from django.contrib.gis.db.models.functions import Distance, Transform
from django.contrib.gis.measure import D
from django.contrib.postgres.search import TrigramSimilarity, TrigramWordSimilarity
from django.db.models import Prefetch, Q, QuerySet, TextField, Value
from django.db.models.functions import Concat, Greatest

from carto_concertation.engagement import selectors as engagement
from carto_concertation.engagement.models import Comment, Vote
from carto_concertation.territories.selectors import module_on

from .models import (
    IDEAS_MODULE,
    Contribution,
    ContributionPhoto,
    ContributionZone,
    Follow,
    IdeasSettings,
)
from .tallies import with_own_vote

# What the map shows (vector tiles, votes, comments, reports): published and answered
# contributions; never those awaiting moderation, withdrawn, hidden or merged.
PUBLIC_STATUSES = (
    Contribution.Status.PUBLISHED,
    Contribution.Status.UNDER_STUDY,
    *Contribution.CLOSING,
)
# What the public API lists besides: the placeholder of a hidden contribution (with the
# moderation's reason) and the pointer a merged one leaves to the idea it joined.
LISTED_STATUSES = (*PUBLIC_STATUSES, Contribution.Status.HIDDEN, Contribution.Status.MERGED)
# Statuses whose photos are public.
PHOTO_STATUSES = (*PUBLIC_STATUSES, Contribution.Status.MERGED)

# Near-duplicates: the least trigram similarity (0–1) between a draft and an idea nearby.
SIMILARITY_MIN = 0.3
SIMILAR_MAX = 5


def with_themes_zones_photos(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """Their themes, zones and photos fetched with them (a fixed number of queries), and
    their published comments counted: what the API and the open data read."""
    return contributions.prefetch_related(
        "themes",
        # In the order they were linked, as the list gives them (list_features.py); the
        # zones' names, not their geometries: reading and parsing those (GEOS) took 13 of
        # the map page's queries' ~30 ms, and left megabytes to free on every page.
        Prefetch(
            "zone_links",
            queryset=ContributionZone.objects.select_related("zone")
            .defer("zone__geom", "zone__geom_3857")
            .order_by("id"),
        ),
        Prefetch("photos", queryset=ContributionPhoto.objects.order_by("id")),
    ).annotate(comment_count=engagement.published_comment_count(Contribution))


# Geometries no page or answer reads from Python: the tiles' copy (EPSG:3857, written by
# PostgreSQL) and the commune's outline, where only its name and code are shown.
UNREAD_GEOMETRIES = ("geom_3857", "commune__geom", "commune__geom_3857")


def _for_output(contributions: QuerySet[Contribution]) -> QuerySet[Contribution]:
    """What the output serializer reads, in a fixed number of queries, geometry in WGS84."""
    return with_themes_zones_photos(
        contributions.select_related("author", "commune").defer(*UNREAD_GEOMETRIES)
    ).annotate(geom_wgs84=Transform("geom", 4326))


def _listed(concertation) -> QuerySet[Contribution]:
    """The ideas a concertation lists (the API's list and the map page's alike)."""
    return Contribution.objects.filter(concertation=concertation, status__in=LISTED_STATUSES)


def contribution_public_list(*, concertation) -> QuerySet[Contribution]:
    return _for_output(_listed(concertation))


def contribution_page_list(*, concertation) -> QuerySet[Contribution]:
    """The list on the map page without JavaScript: only what it shows and sorts by
    (title, text, status, the tallies, the answer, the commune's name, the comments
    counted). The API's shape (``contribution_public_list``) read each idea's three
    geometries and its commune's two, and prefetched themes, zones and photos the page
    does not show: a quarter of the page's CPU."""
    return (
        _listed(concertation)
        .select_related("commune")
        .only(
            "concertation_id",
            "title",
            "text",
            "status",
            "moderation_reason",
            "answer",
            "created_at",
            "votes_for",
            "votes_against",
            "rating_sum",
            "rating_count",
            "commune__name",
        )
        .annotate(comment_count=engagement.published_comment_count(Contribution))
    )


def contribution_list_of_author(*, user) -> QuerySet[Contribution]:
    """What a person wrote, in every status, with the answers: for their account page."""
    return (
        Contribution.objects.filter(author=user)
        .select_related("concertation")
        .order_by("-created_at")
    )


def contribution_for_update(*, pk: int) -> Contribution:
    """A contribution with its concertation and territory, its row locked until the
    transaction ends (writes that check, then change it, start with this; one that
    changes what the map shows takes it through changes.contribution_changing)."""
    return (
        Contribution.objects.select_for_update(of=("self",))
        .select_related("concertation__territory", "author")
        .get(pk=pk)
    )


def contributions_for_update(*, pks) -> dict[int, Contribution]:
    """Contributions by id, as contribution_for_update() gives one, their rows locked
    in the order of their ids (two writes on the same ones cannot deadlock)."""
    rows = {
        contribution.pk: contribution
        for contribution in Contribution.objects.select_for_update(of=("self",))
        .select_related("concertation__territory", "author")
        .filter(pk__in=pks)
        .order_by("pk")
    }
    if len(rows) != len(set(pks)):
        raise Contribution.DoesNotExist
    return rows


def contribution_get(*, pk: int, viewer=None) -> Contribution:
    """One contribution with what its output shows (any status), and ``viewer``'s own
    uncounted vote on it (``tallies.with_own_vote``)."""
    return with_own_vote(_for_output(Contribution.objects.filter(pk=pk)), viewer).get()


def ideas_settings_of(concertation) -> IdeasSettings:
    """The settings of the ideas map of a concertation (IdeasSettings.DoesNotExist when it
    holds no ideas module)."""
    return IdeasSettings.objects.get(
        space_module__concertation=concertation, space_module__module=IDEAS_MODULE
    )


def contribution_visible_to(*, contribution: Contribution, user) -> bool:
    """Listed ones for everyone; the others for their author and the moderators."""
    if contribution.status in LISTED_STATUSES:
        return True
    if not user.is_authenticated:
        return False
    return contribution.author_id == user.pk or user.has_perm(
        "territories.moderate", contribution.concertation.territory
    )


def contribution_similar(
    *, concertation, geometry, text: str, viewer=None
) -> QuerySet[Contribution]:
    """Public ideas within the concertation's near-duplicate distance of ``geometry``
    (storage SRID) whose title and text resemble ``text``, most similar first; with
    ``viewer``'s own uncounted vote on each (``tallies.with_own_vote``)."""
    document = Concat("title", Value(" "), "text", output_field=TextField())
    ideas = with_own_vote(Contribution.objects.all(), viewer)
    return (
        ideas.filter(
            concertation=concertation,
            status__in=PUBLIC_STATUSES,
            geom__dwithin=(geometry, D(m=ideas_settings_of(concertation).duplicate_distance_m)),
        )
        .annotate(
            similarity=Greatest(
                TrigramSimilarity(document, text), TrigramWordSimilarity(text, document)
            ),
            distance=Distance("geom", geometry),
            geom_wgs84=Transform("geom", 4326),
        )
        .filter(similarity__gte=SIMILARITY_MIN)
        .order_by("-similarity", "distance")[:SIMILAR_MAX]
    )


def comment_public_list(*, contribution: Contribution) -> QuerySet[Comment]:
    """The published comments (and placeholders of hidden ones), each with its replies."""
    return engagement.comment_threads(target=contribution)


def photo_public_get(*, pk: int) -> ContributionPhoto | None:
    """A photo of a shown contribution, where the ideas are on (none elsewhere)."""
    return ContributionPhoto.objects.filter(
        module_on(IDEAS_MODULE, "contribution__concertation__territory"),
        pk=pk,
        contribution__status__in=PHOTO_STATUSES,
    ).first()


def photo_restricted_get(*, pk: int, user) -> ContributionPhoto | None:
    """A photo of an idea the public does not see (waiting, hidden, withdrawn), for those
    who see that idea: its author, and the moderators and planners of its territory."""
    if not user.is_authenticated:
        return None
    photo = (
        ContributionPhoto.objects.filter(
            module_on(IDEAS_MODULE, "contribution__concertation__territory"), pk=pk
        )
        .exclude(contribution__status__in=PHOTO_STATUSES)
        .select_related("contribution__concertation")
        .first()
    )
    if photo is None:
        return None
    idea = photo.contribution
    if idea.author_id == user.pk or any(
        user.has_perm(f"contributions.{action}", idea.concertation)
        for action in ("moderate", "plan")
    ):
        return photo
    return None


def moderation_queue(*, concertation) -> tuple[QuerySet[Contribution], QuerySet[Comment]]:
    """What awaits the moderators: contributions and comments submitted (before-
    publication mode) or reported and not dealt with yet, oldest first."""
    contributions = (
        Contribution.objects.filter(concertation=concertation)
        .filter(
            Q(status=Contribution.Status.SUBMITTED)
            | Q(
                status__in=PUBLIC_STATUSES,
                pk__in=engagement.reported_ids(Contribution),
            )
        )
        .select_related("author")
        .prefetch_related(engagement.open_reports())
        .order_by("created_at")
    )
    comments = (
        Comment.objects.filter(contribution__concertation=concertation)
        .filter(
            Q(status=Comment.Status.SUBMITTED)
            | Q(
                status=Comment.Status.PUBLISHED,
                pk__in=engagement.reported_ids(Comment),
            )
        )
        .select_related("author")
        .prefetch_related(engagement.open_reports())
        .order_by("created_at")
    )
    return contributions, comments


def moderation_log(*, concertation):
    return engagement.moderation_log(space=concertation)


def contribution_ids_for_document(*, document_id: int) -> list[int]:
    """Every contribution of the concertations on a PLU/PLUi, whatever its status."""
    return list(
        Contribution.objects.filter(concertation__plui_document_id=document_id)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def public_ideas_in_commune(*, concertation_id: int, commune_id: int) -> list[tuple]:
    """(title, geometry) of a concertation's public ideas in one commune, oldest first:
    what a workshop's printed map numbers (a service of the ideas' manifest)."""
    return list(
        Contribution.objects.filter(
            concertation=concertation_id, commune=commune_id, status__in=PUBLIC_STATUSES
        )
        .order_by("created_at", "id")
        .values_list("title", "geom")
    )


def contribution_viewer_state(*, contribution: Contribution, user) -> dict:
    """What the person looking at an idea has done with it and may still do: their vote
    (None without one), whether they follow it, whether they wrote it."""
    if not user.is_authenticated:
        return {"vote": None, "own_uncounted": None, "following": False, "is_author": False}
    vote = Vote.objects.of(contribution).filter(voter=user).values_list("value", "counted")
    value, counted = vote.first() or (None, True)
    return {
        "vote": value,
        # A banned account's vote, left out of the tallies: its page adds it back for it.
        "own_uncounted": None if counted else value,
        "following": Follow.objects.filter(contribution=contribution, user=user).exists(),
        "is_author": contribution.author_id == user.pk,
    }


def contribution_page_get(*, concertation, pk: int) -> Contribution | None:
    """One idea of a concertation with what its page shows (any status: the caller
    checks who may see it)."""
    return _for_output(
        Contribution.objects.filter(concertation=concertation, pk=pk)
        .select_related("concertation__territory", "merged_into")
        .defer(
            "concertation__territory__geom",
            "concertation__territory__geom_3857",
            "merged_into__geom",
            "merged_into__geom_3857",
        )
    ).first()
