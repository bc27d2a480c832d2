# SPDX-License-Identifier: AGPL-3.0-or-later
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.throttles import ScopedRateThrottle, UserRateThrottle

from . import services
from .selectors import user_roles
from .serializers import MeInputSerializer, MeOutputSerializer


@method_decorator(never_cache, name="dispatch")
class MeApi(APIView):
    """The signed-in person: pseudonym, roles and the e-mails they accept."""

    permission_classes = [IsAuthenticated]
    throttle_scope = "account"

    def get_throttles(self):
        if self.request.method == "PATCH":
            return [ScopedRateThrottle()]
        return [UserRateThrottle()]

    def _answer(self, user) -> Response:
        return Response(MeOutputSerializer(MeOutputSerializer.of(user, user_roles(user=user))).data)

    @extend_schema(responses=MeOutputSerializer)
    def get(self, request: Request) -> Response:
        return self._answer(request.user)

    @extend_schema(request=MeInputSerializer, responses=MeOutputSerializer)
    def patch(self, request: Request) -> Response:
        params = MeInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        user = services.user_profile_update(
            user=request.user,
            pseudonym=params.validated_data.get("pseudonym"),
            notifications=params.validated_data.get("notifications"),
        )
        return self._answer(user)
