# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ideas' map page: the page of a concertation that holds an ideas map (the space's
page, ``concertations.views``, hands over to it through the manifest's ``space_page``).
The page itself (description, legend, filters, the list of ideas) is rendered here and
works without JavaScript; the map is a JavaScript module."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _

from carto_concertation.concertations.models import Concertation, Phase
from carto_concertation.concertations.selectors import (
    concertation_map_space_of,
    concertation_module_entries,
    space_allows,
)
from carto_concertation.core.modules import space_public, space_public_shared
from carto_concertation.core.wgs84 import wgs84
from plui_documents.cnig import TYPEZONE_LABELS
from tiles.styles import ZONE_COLOURS, first_view_tiles, space_style_inline

from .filters import ContributionFilter
from .models import IDEAS_MODULE, Contribution, GeometryKind
from .planning.permissions import is_planner_of
from .selectors import PUBLIC_STATUSES, contribution_page_list, ideas_settings_of
from .tallies import as_read_by, with_own_vote
from .tiles import AGGREGATE_BELOW, contribution_tileset

MAPLIBRE_WORKER = "vendor/maplibre-gl/maplibre-gl-worker.mjs"

PAGE_SIZE = 20


def _first_tiles(config: dict) -> list[str]:
    source = config["style"]["sources"].get("contributions", {})
    if not source.get("tiles"):
        return []
    return first_view_tiles(source["tiles"][0], config["center"], config["zoom"])


def _strings() -> dict[str, str]:
    """The words the map module shows, in the page's language."""
    return {
        "mapLabel": _("Map of the concertation: the zoning and the ideas"),
        "close": _("Close"),
        "zone": _("Zone"),
        "zoneType": _("Type"),
        "reglement": _("Règlement"),
        "prescriptions": _("Prescriptions"),
        "answer": _("The collectivité's answer"),
        "comments": _("Comments"),
        "commentsShort": _("comments"),
        "support": _("I support this idea"),
        "supports": _("supports"),
        "voteFor": _("For"),
        "voteAgainst": _("Against"),
        "rating": _("Rating"),
        "voted": _("Your opinion is recorded."),
        "failed": _("That did not work; try again."),
        "anonymous": _("Anonymous participant"),
        "reply": _("Reply"),
        "yourReply": _("Your reply"),
        "yourComment": _("Your comment"),
        "signInToComment": _("Sign in to comment"),
        "commented": _("Your comment is sent."),
        "awaitingModeration": _("Thank you; it will appear once a moderator has read it."),
        "send": _("Send"),
        "cancel": _("Cancel"),
        "inView": _("ideas in view"),
        "propose": _("Propose an idea"),
        "noZone": _("No PLUi zone here."),
        "kind": _("Shape"),
        "placeTitle": _("Place your idea"),
        "placeHintPoint": _("Move the map until the crosshair is on the place, then validate."),
        "placeHintLine": _(
            "Tap the map at each point of the line (or put the crosshair there and add the"
            " point), then finish."
        ),
        "placeHintArea": _(
            "Tap the map at each corner of the area (or put the crosshair there and add the"
            " point), then finish."
        ),
        "validatePlace": _("Validate the place"),
        "addPoint": _("Add this point"),
        "undoPoint": _("Undo the last point"),
        "finish": _("Finish"),
        "points": _("point(s)"),
        "changePlace": _("Change the place"),
        "photos": _("Photos (up to three)"),
        "photosHelp": _("JPEG, PNG or WebP; they are re-encoded without their metadata."),
        "photo": _("Photo"),
        "removePhoto": _("Remove photo"),
        "tooManyPhotos": _("At most three photos."),
        "similarTitle": _("Similar ideas nearby"),
        "similarHint": _("Perhaps support one of them rather than propose it again:"),
        "ideaPage": _("The idea's page"),
        "share": _("Share"),
        "linkCopied": _("Link copied."),
        "linkToCopy": _("Copy this link:"),
        "follow": _("Follow this idea"),
        "unfollow": _("Stop following"),
        "followed": _("You follow this idea: an e-mail will tell you of its answer."),
        "unfollowed": _("You no longer follow this idea."),
        "youSupport": _("You support this idea."),
        "yourOpinion": _("Your opinion:"),
        "withdrawSupport": _("Withdraw my support"),
        "supportWithdrawn": _("Your support is withdrawn."),
        "reportIdea": _("Report this idea"),
        "reportComment": _("Report this comment"),
        "reportReason": _("Why do you report it? (the moderators read it)"),
        "sendReport": _("Send the report"),
        "reported": _("Thank you; the moderators will look at it."),
        "yourIdea": _("Your idea"),
        "edit": _("Edit my idea"),
        "save": _("Save"),
        "edited": _("Your idea is changed."),
        "withdrawIdea": _("Withdraw my idea"),
        "withdrawn": _("Your idea is withdrawn."),
        "title": _("Title"),
        "text": _("Your idea"),
        "themes": _("Themes"),
        "checkForm": _("Some fields need your attention."),
        "thanks": _("Thank you, your idea is on the map."),
    }


def _map_locale() -> dict[str, str]:
    """MapLibre's own control labels, in the page's language (read by screen readers)."""
    return {
        "NavigationControl.ZoomIn": _("Zoom in"),
        "NavigationControl.ZoomOut": _("Zoom out"),
        "NavigationControl.ResetBearing": _("Point north"),
        "GeolocateControl.FindMyLocation": _("Find my location"),
        "GeolocateControl.LocationNotAvailable": _("Location not available"),
        "AttributionControl.ToggleAttribution": _("Sources of the map"),
        "Map.Title": _("Map"),
    }


def concertation_style_inline(request: HttpRequest, concertation: Concertation) -> dict:
    """Its map's style with the TileJSONs written in, for a page to carry as the map
    page does (an idea's page, the planners' dashboard): on a phone network the style
    then its TileJSONs were two round trips before a tile. Its space is the concertation
    read already."""
    space = concertation_map_space_of(concertation)
    with space_public_shared(space):  # its modules' style parts read it again
        return space_style_inline(request, space)


def ideas_map_page(request: HttpRequest, concertation: Concertation) -> HttpResponse:
    """The page of a public concertation holding an ideas map (its space page checked
    both before handing over): its space is the one read already, not read again for
    the style and the layers."""
    with space_public_shared(concertation_map_space_of(concertation)):
        return _ideas_map_page(request, concertation)


def _ideas_map_page(request: HttpRequest, concertation: Concertation) -> HttpResponse:
    listed = ContributionFilter(
        request.GET,
        queryset=with_own_vote(contribution_page_list(concertation=concertation), request.user),
    )
    page = Paginator(listed.qs if listed.is_valid() else listed.queryset.none(), PAGE_SIZE)
    themes = list(concertation.themes.all())
    statuses = {
        code: label for code, label in Contribution.Status.choices if code in PUBLIC_STATUSES
    }
    centroid = wgs84(concertation.perimeter.centroid)
    steps = list(concertation.phases.all())
    phases = [
        {
            "label": phase.get_kind_display(),
            "starts_at": phase.starts_at,
            "ends_at": phase.ends_at,
            "current": phase.is_current(),
        }
        for phase in steps
    ]
    # The closing date said on the page: the end of the contributions phase, while open.
    closing = next(
        (
            phase.ends_at
            for phase in steps
            if phase.kind == Phase.Kind.CONTRIBUTIONS and phase.is_current()
        ),
        None,
    )
    ideas = ideas_settings_of(concertation)
    shown = page.get_page(request.GET.get("page"))
    shown.object_list = list(shown.object_list)
    as_read_by(shown.object_list, lambda idea: ideas.vote_mode)
    config = {
        "slug": concertation.slug,
        "styleUrl": reverse("map-style", args=[concertation.slug]),
        # The style comes with the page, its TileJSONs written in (two round trips less
        # on a phone network); styleUrl stays for what reads the style later.
        "style": space_style_inline(request, space_public(concertation.slug)),
        # MapLibre's worker under its hashed name, which the page asks for at once.
        "workerUrl": static(MAPLIBRE_WORKER),
        "contributionsTileJson": reverse(
            "tilejson", args=[contribution_tileset(concertation.slug)]
        ),
        "contributionsUrl": reverse("api:contribution-list", args=[concertation.slug]),
        "lookupUrl": reverse("api:zoning-lookup"),
        "similarUrl": reverse("api:contribution-similar", args=[concertation.slug]),
        # With 0 for the id, which the page's module replaces.
        "ideaUrl": reverse("idea", args=[concertation.slug, 0]),
        "commentReportUrl": reverse("api:comment-report", args=[concertation.slug, 0]),
        "loginUrl": f"{reverse('account_login')}?next={request.path}",
        "signedIn": request.user.is_authenticated,
        "open": space_allows(concertation=concertation, module=IDEAS_MODULE, feature="propose"),
        "accepted": [kind for kind in GeometryKind.values if kind in ideas.accepted_geometries],
        "kinds": dict(GeometryKind.choices),
        "voteMode": ideas.vote_mode,
        "themes": [{"id": t.pk, "name": t.name, "colour": t.colour} for t in themes],
        "statuses": {code: str(label) for code, label in statuses.items()},
        "zoneTypes": {code: str(label) for code, label in TYPEZONE_LABELS.items()},
        "center": [round(centroid.x, 6), round(centroid.y, 6)],
        "zoom": 11,
        "aggregateBelow": AGGREGATE_BELOW,
        "strings": _strings(),
        "mapLocale": _map_locale(),
    }
    return render(
        request,
        "contributions/map.html",
        {
            "concertation": concertation,
            "themes": themes,
            "statuses": statuses,
            "zone_legend": [
                (code, TYPEZONE_LABELS[code], colour) for code, colour in ZONE_COLOURS.items()
            ],
            "filters": listed,
            "page": shown,
            "config": config,
            # The ideas' first tiles, asked with the page's scripts (map.html).
            "first_tiles": _first_tiles(config),
            "basemap": bool(settings.BASEMAP_TILES),
            "is_planner": is_planner_of(concertation=concertation, user=request.user),
            "module_entries": concertation_module_entries(concertation),
            "phases": phases,
            "current_phase": next((phase for phase in phases if phase["current"]), None),
            "closing": closing,
        },
        status=200 if listed.is_valid() else 400,
    )
