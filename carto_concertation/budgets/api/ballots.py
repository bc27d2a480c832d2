# SPDX-License-Identifier: AGPL-3.0-or-later
"""The ballot's API, under /api/v1/budgets/editions/<slug>/: ``ballot`` (GET my ballot,
PUT cast or change it) and ``paper`` (the agents' double entry of paper sheets).
Bad input is a 400 naming the field; not eligible a 403; outside the vote a 409; nothing
is written in any of these cases."""

from django.conf import settings
from django.contrib.gis.geos import Point
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.throttles import ScopedRateThrottle

from ..models import District, Edition, PaperBallotEntry
from ..selectors.ballots import ballot_of, editions_public, has_voted, paper_entries
from ..services.ballots import Declarations, NotEligible, VoteClosed, ballot_cast, vote_open
from ..services.paper import paper_enter, paper_resolve


class BallotChoiceSerializer(serializers.Serializer):
    project = serializers.IntegerField(min_value=1, help_text=_("The project's number."))
    points = serializers.IntegerField(min_value=0, max_value=10_000, default=1)
    rank = serializers.IntegerField(min_value=1, max_value=1_000, required=False, allow_null=True)


class BallotInputSerializer(serializers.Serializer):
    choices = BallotChoiceSerializer(many=True, max_length=500)
    resident = serializers.BooleanField(help_text=_("I live in the territory."))
    of_age = serializers.BooleanField(default=False, help_text=_("I am of the minimum age."))
    district = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    longitude = serializers.FloatField(min_value=-180, max_value=180, required=False)
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False)


class BallotOutputSerializer(serializers.Serializer):
    edition = serializers.CharField()
    vote_open = serializers.BooleanField()
    voted = serializers.BooleanField()
    district = serializers.IntegerField(allow_null=True)
    choices = BallotChoiceSerializer(many=True)


class PaperInputSerializer(serializers.Serializer):
    station = serializers.CharField(max_length=120)
    sheet = serializers.CharField(max_length=40)
    district = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    choices = BallotChoiceSerializer(many=True, max_length=500)


class PaperResolveSerializer(serializers.Serializer):
    district = serializers.IntegerField(min_value=1, required=False, allow_null=True)
    choices = BallotChoiceSerializer(many=True, max_length=500)


class PaperEntrySerializer(serializers.ModelSerializer):
    district = serializers.IntegerField(source="district_id", allow_null=True)
    counted = serializers.SerializerMethodField()

    class Meta:
        model = PaperBallotEntry
        fields = [
            "id",
            "station",
            "sheet",
            "district",
            "state",
            "first_entry",
            "second_entry",
            "counted",
            "created_at",
        ]

    def get_counted(self, entry: PaperBallotEntry) -> bool:
        return entry.ballot_id is not None


def _edition(slug: str) -> Edition:
    return get_object_or_404(editions_public(), slug=slug)


def _valid(serializer_class, request: Request) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


def district_of(edition: Edition, pk: int | None) -> District | None:
    if pk is None:
        return None
    district = edition.districts.filter(pk=pk).first()
    if district is None:
        raise serializers.ValidationError(
            {"district": [_("Choose one of this edition's districts.")]}
        )
    return district


def _choices(data: dict) -> list[dict]:
    return [dict(choice) for choice in data["choices"]]


def ballot_state(edition: Edition, user) -> dict:
    ballot = ballot_of(edition, user)
    return {
        "edition": edition.slug,
        "vote_open": vote_open(edition),
        "voted": has_voted(edition, user),
        "district": ballot.district_id if ballot else None,
        "choices": [
            {"project": c.project.number, "points": c.points, "rank": c.rank}
            for c in (ballot.choices.all() if ballot else [])
        ],
    }


class BallotApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "budget_ballot"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(responses={200: BallotOutputSerializer})
    def get(self, request: Request, slug: str) -> Response:
        """My ballot in this edition: its choices until the vote closes."""
        return Response(ballot_state(_edition(slug), request.user))

    @extend_schema(request=BallotInputSerializer, responses={200: BallotOutputSerializer})
    def put(self, request: Request, slug: str) -> Response:
        """Cast my ballot, or change it until the vote closes; the declarations of
        eligibility come with it (403 without them, 409 outside the vote)."""
        edition = _edition(slug)
        data = _valid(BallotInputSerializer, request)
        point = None
        if data.get("longitude") is not None and data.get("latitude") is not None:
            point = Point(data["longitude"], data["latitude"], srid=4326)
            point.transform(settings.SRID)
        declarations = Declarations(
            resident=data["resident"],
            of_age=data["of_age"],
            district=district_of(edition, data.get("district")),
            point=point,
        )
        try:
            ballot_cast(
                edition=edition,
                user=request.user,
                choices=_choices(data),
                declarations=declarations,
            )
        except NotEligible as refusal:
            raise PermissionDenied(refusal.message_dict) from refusal
        except VoteClosed as refusal:
            return Response(refusal.message_dict, status=status.HTTP_409_CONFLICT)
        return Response(ballot_state(edition, request.user))


class PaperApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "budget_paper"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(responses={200: PaperEntrySerializer(many=True)})
    def get(self, request: Request, slug: str) -> Response:
        """The sheets typed in (``?state=disagreed`` for those to check), for the agents."""
        edition = _edition(slug)
        if not request.user.has_perm("budgets.enter_paper", edition):
            raise PermissionDenied
        wanted = request.query_params.get("state") or None
        if wanted and wanted not in PaperBallotEntry.State.values:
            raise serializers.ValidationError({"state": [_("Unknown state.")]})
        return Response(PaperEntrySerializer(paper_entries(edition, wanted), many=True).data)

    @extend_schema(request=PaperInputSerializer, responses={201: PaperEntrySerializer})
    def post(self, request: Request, slug: str) -> Response:
        """Type in a paper sheet: first entry, or the second by another agent."""
        edition = _edition(slug)
        if not request.user.has_perm("budgets.enter_paper", edition):
            raise PermissionDenied
        data = _valid(PaperInputSerializer, request)
        entry = paper_enter(
            edition=edition,
            agent=request.user,
            station=data["station"],
            sheet=data["sheet"],
            district=district_of(edition, data.get("district")),
            choices=_choices(data),
        )
        return Response(PaperEntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class PaperResolveApi(APIView):
    permission_classes = [IsAuthenticated]
    throttle_scope = "budget_paper"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(request=PaperResolveSerializer, responses={200: PaperEntrySerializer})
    def post(self, request: Request, slug: str, pk: int) -> Response:
        """The right version of a sheet whose two entries disagree (who runs the edition)."""
        edition = _edition(slug)
        if not request.user.has_perm("budgets.enter_paper", edition):
            raise PermissionDenied
        entry = get_object_or_404(PaperBallotEntry, edition=edition, pk=pk)
        data = _valid(PaperResolveSerializer, request)
        entry = paper_resolve(
            entry=entry,
            agent=request.user,
            district=district_of(edition, data.get("district")),
            choices=_choices(data),
        )
        return Response(PaperEntrySerializer(entry).data)
