# SPDX-License-Identifier: AGPL-3.0-or-later
"""The search box of a space's map, and its page without JavaScript: communes, PLU zones
by label and pages of the règlement (the backbone's), and what each module the space
holds finds (its manifest's ``search``: the ideas by words), from our own data only.

``/api/v1/concertations/<slug>/search?q=`` answers the groups in JSON, each hit with its
place for the map to fly there; ``/concertations/<slug>/recherche/?q=`` is the same as a
page. Addresses (the Géoplateforme's geocoder) are asked by the visitor's browser, and
only when an administrator turned them on (core.basemaps): never by this server."""

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.basemaps import address_search_enabled
from carto_concertation.core.modules import MapSpace, module_get
from carto_concertation.core.search import HITS_PER_KIND, QUERY_MAX, QUERY_MIN
from carto_concertation.territories.selectors import commune_search
from plui_documents.selectors import regulation_page_search, zone_search

from .selectors import concertation_map_space_public


def space_search(space: MapSpace, query: str, piece_url) -> list[dict]:
    """The groups of hits, in the box's order: communes, zones, each module's, the
    règlement; a group without hits is left out."""
    groups = [
        ("communes", _("Communes"), commune_search(territory_id=space.territory_id, query=query))
    ]
    if space.zoning_document_id:
        groups.append(
            (
                "zones",
                _("PLU zones"),
                zone_search(document_id=space.zoning_document_id, query=query, piece_url=piece_url),
            )
        )
    for name in space.modules:
        manifest = module_get(name)
        if manifest is not None and manifest.search is not None:
            groups.append((name, manifest.label, manifest.search(space, query, HITS_PER_KIND)))
    if space.zoning_document_id:
        groups.append(
            (
                "reglement",
                _("Règlement"),
                regulation_page_search(
                    document_id=space.zoning_document_id, query=query, piece_url=piece_url
                ),
            )
        )
    return [
        {"kind": kind, "label": str(label), "results": [hit.as_dict() for hit in hits]}
        for kind, label, hits in groups
        if hits
    ]


def _piece_url(request: HttpRequest):
    def url(piece_id: int, page: int) -> str:
        return request.build_absolute_uri(
            reverse("api:plui-piece-file", args=[piece_id]) + f"#page={page}"
        )

    return url


class SearchInputSerializer(serializers.Serializer):
    q = serializers.CharField(
        min_length=QUERY_MIN,
        max_length=QUERY_MAX,
        help_text=_("Words to find: a commune, a zone, an idea, a page of the règlement."),
    )


class SearchHitSerializer(serializers.Serializer):
    label = serializers.CharField()
    detail = serializers.CharField()
    url = serializers.CharField(help_text=_("Its own page or document, if any."))
    bbox = serializers.ListField(child=serializers.FloatField(), allow_null=True)
    center = serializers.ListField(child=serializers.FloatField(), allow_null=True)


class SearchGroupSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    results = SearchHitSerializer(many=True)


class SearchOutputSerializer(serializers.Serializer):
    q = serializers.CharField()
    groups = SearchGroupSerializer(many=True)


class SpaceSearchApi(APIView):
    @extend_schema(parameters=[SearchInputSerializer], responses=SearchOutputSerializer)
    def get(self, request: Request, concertation_slug: str) -> Response:
        """What the map's search box finds in a concertation, grouped by kind, each hit
        with its place (WGS84 box and centre) when it has one."""
        space = concertation_map_space_public(concertation_slug)
        if space is None:
            raise Http404
        params = SearchInputSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        query = params.validated_data["q"]
        return Response({"q": query, "groups": space_search(space, query, _piece_url(request))})


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search the map"), min_length=QUERY_MIN, max_length=QUERY_MAX, strip=True
    )


def search_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The search box's results without JavaScript (a GET form)."""
    space = concertation_map_space_public(slug)
    if space is None:
        raise Http404
    form = SearchForm(request.GET or None)
    groups = None
    if form.is_valid():
        groups = space_search(space, form.cleaned_data["q"], _piece_url(request))
    return render(
        request,
        "concertations/search.html",
        {
            "space": space,
            "form": form,
            "groups": groups,
            "address_search": address_search_enabled(),
        },
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
