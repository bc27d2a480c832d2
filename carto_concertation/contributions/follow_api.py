# SPDX-License-Identifier: AGPL-3.0-or-later
"""Following an idea, and what the person looking at an idea has done with it (the
map's panel reads it to show "you support this idea" and the author's buttons)."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.concertations.selectors import space_allows
from carto_concertation.core.throttles import ScopedRateThrottle

from . import follow, selectors
from .api import ConcertationMixin
from .models import IDEAS_MODULE, Contribution
from .permissions import AUTHOR_EDITABLE


class FollowOutputSerializer(serializers.Serializer):
    following = serializers.BooleanField()


class ViewerStateSerializer(serializers.Serializer):
    vote = serializers.IntegerField(allow_null=True, help_text=_("My vote, or null."))
    following = serializers.BooleanField()
    is_author = serializers.BooleanField()
    can_edit = serializers.BooleanField()
    can_withdraw = serializers.BooleanField()


class FollowApi(ConcertationMixin, APIView):
    """PUT to follow an idea (an e-mail when it is answered or changes status), DELETE to
    stop following it."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "contribution_write"
    throttle_classes = [ScopedRateThrottle]

    @extend_schema(request=None, responses={200: FollowOutputSerializer})
    def put(self, request, concertation_slug: str, pk: int) -> Response:
        contribution = self.contribution_of_concertation(pk)
        follow.follow_set(contribution=contribution, user=request.user)
        return Response({"following": True})

    @extend_schema(request=None, responses={200: FollowOutputSerializer})
    def delete(self, request, concertation_slug: str, pk: int) -> Response:
        follow.follow_remove(contribution=self.contribution_of_concertation(pk), user=request.user)
        return Response({"following": False})


class ViewerStateApi(ConcertationMixin, APIView):
    """My vote on an idea, whether I follow it, and whether I may edit or withdraw it."""

    @extend_schema(responses={200: ViewerStateSerializer})
    def get(self, request, concertation_slug: str, pk: int) -> Response:
        contribution = self.contribution_of_concertation(pk)
        state = selectors.contribution_viewer_state(contribution=contribution, user=request.user)
        editing = state["is_author"] and space_allows(
            concertation=contribution.concertation, module=IDEAS_MODULE, feature="edit"
        )
        state["can_edit"] = editing and contribution.status in AUTHOR_EDITABLE
        state["can_withdraw"] = editing and contribution.status in (
            *AUTHOR_EDITABLE,
            Contribution.Status.UNDER_STUDY,
        )
        return Response(ViewerStateSerializer(state).data)
