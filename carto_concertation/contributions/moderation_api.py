# SPDX-License-Identifier: AGPL-3.0-or-later
"""The debate and its moderation: comments, reports, the moderators' queue and actions,
merges, the collectivité's answers, and the public moderation log."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.generics import ListAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import IsAuthenticated, IsAuthenticatedOrReadOnly
from rest_framework.response import Response
from rest_framework.views import APIView

from carto_concertation.core.throttles import ScopedRateThrottle, WriteThrottleMixin
from carto_concertation.engagement.models import Comment

from . import comments, moderation, selectors
from .api import ConcertationMixin
from .models import Contribution
from .permissions import moderator_role
from .serializers import (
    AnswerInputSerializer,
    CommentInputSerializer,
    CommentOutputSerializer,
    CommentThreadOutputSerializer,
    ContributionOutputSerializer,
    MergeInputSerializer,
    ModerationActionOutputSerializer,
    ModerationInputSerializer,
    ModerationQueueSerializer,
    ReportInputSerializer,
)

CONTRIBUTION_ACTIONS = {
    "approve": moderation.contribution_approve,
    "hide": moderation.contribution_hide,
    "restore": moderation.contribution_restore,
}
COMMENT_ACTIONS = {
    "approve": moderation.comment_approve,
    "hide": moderation.comment_hide,
    "restore": moderation.comment_restore,
}


class ScopedWriteApi(ConcertationMixin, APIView):
    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedRateThrottle]

    def comment_of_concertation(self, pk: int) -> Comment:
        return get_object_or_404(
            Comment.objects.all(), pk=pk, contribution__concertation=self.concertation()
        )

    def feature(self, pk: int) -> Response:
        contribution = selectors.contribution_get(pk=pk)
        return Response(
            ContributionOutputSerializer(contribution, context={"request": self.request}).data
        )


class CommentListApi(WriteThrottleMixin, ConcertationMixin, APIView):
    """The debate on a contribution: comments, each with its replies (one level)."""

    permission_classes = [IsAuthenticatedOrReadOnly]
    throttle_scope = "comment"

    @extend_schema(responses={200: CommentThreadOutputSerializer(many=True)})
    def get(self, request, concertation_slug: str, pk: int) -> Response:
        contribution = self.contribution_status(pk)
        # A hidden idea is its placeholder alone; a merged one's debate moved with it.
        if contribution.status not in selectors.PUBLIC_STATUSES:
            return Response([])
        threads = selectors.comment_public_list(contribution=contribution)
        return Response(CommentThreadOutputSerializer(threads, many=True).data)

    @extend_schema(request=CommentInputSerializer, responses={201: CommentOutputSerializer})
    def post(self, request, concertation_slug: str, pk: int) -> Response:
        """Comment, or reply to a comment (``parent``); under before-publication
        moderation the comment is visible once approved."""
        params = CommentInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        contribution = self.contribution_of_concertation(pk)
        parent_id = params.validated_data.get("parent")
        parent = None
        if parent_id is not None:
            parent = Comment.objects.filter(pk=parent_id).first()
            if parent is None:
                return Response({"parent": [gettext("No such comment.")]}, status=400)
        comment = comments.comment_create(
            contribution=contribution,
            author=request.user,
            text=params.validated_data["text"],
            parent=parent,
        )
        return Response(CommentOutputSerializer(comment).data, status=201)


class ReportApi(ScopedWriteApi):
    """Report a contribution, or a comment (``target="comment"``), to the moderators."""

    throttle_scope = "report"
    target = "contribution"

    @extend_schema(request=ReportInputSerializer, responses={201: None})
    def post(self, request, concertation_slug: str, pk: int) -> Response:
        """Report this to the moderators, with a reason (once per person)."""
        params = ReportInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        if self.target == "comment":
            target = {"comment": self.comment_of_concertation(pk)}
        else:
            target = {"contribution": self.contribution_of_concertation(pk)}
        moderation.report_create(
            reporter=request.user, reason=params.validated_data["reason"], **target
        )
        return Response(status=201)


class ModerationApi(ScopedWriteApi):
    throttle_scope = "moderation"
    actions: dict = {}

    def moderate(self, request, **target):
        params = ModerationInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        action = self.actions[params.validated_data["action"]]
        return action(actor=request.user, reason=params.validated_data["reason"], **target)


class ContributionModerationApi(ModerationApi):
    actions = CONTRIBUTION_ACTIONS

    @extend_schema(request=ModerationInputSerializer, responses={200: ContributionOutputSerializer})
    def post(self, request, concertation_slug: str, pk: int) -> Response:
        """Moderators approve, hide (with a public reason) or restore a contribution."""
        self.moderate(request, contribution=self.contribution_of_concertation(pk))
        return self.feature(pk)


class CommentModerationApi(ModerationApi):
    actions = COMMENT_ACTIONS

    @extend_schema(request=ModerationInputSerializer, responses={200: CommentOutputSerializer})
    def post(self, request, concertation_slug: str, pk: int) -> Response:
        """Moderators approve, hide (with a public reason) or restore a comment."""
        comment = self.moderate(request, comment=self.comment_of_concertation(pk))
        return Response(CommentOutputSerializer(comment).data)


class MergeApi(ScopedWriteApi):
    throttle_scope = "moderation"

    @extend_schema(request=MergeInputSerializer, responses={200: ContributionOutputSerializer})
    def post(self, request, concertation_slug: str, pk: int) -> Response:
        """Moderators merge this idea into a twin (``into``), which keeps the votes and
        comments of both; this one stays as a public pointer to it."""
        params = MergeInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        merged = self.contribution_of_concertation(pk)
        into = Contribution.objects.filter(pk=params.validated_data["into"]).first()
        if into is None:
            return Response({"into": [gettext("No such idea.")]}, status=400)
        kept = moderation.contribution_merge(
            contribution=merged,
            into=into,
            actor=request.user,
            reason=params.validated_data["reason"],
        )
        return self.feature(kept.pk)


class AnswerApi(ScopedWriteApi):
    throttle_scope = "moderation"

    @extend_schema(request=AnswerInputSerializer, responses={200: ContributionOutputSerializer})
    def post(self, request, concertation_slug: str, pk: int) -> Response:
        """Planners and moderators put an idea under study, or close it with the
        collectivité's official answer and the answering service."""
        params = AnswerInputSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        moderation.contribution_answer(
            contribution=self.contribution_of_concertation(pk),
            actor=request.user,
            **params.validated_data,
        )
        return self.feature(pk)


class ModerationQueueApi(ConcertationMixin, APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: ModerationQueueSerializer})
    def get(self, request, concertation_slug: str) -> Response:
        """What awaits the territory's moderators: submitted or reported items."""
        concertation = self.concertation()
        moderator_role(concertation=concertation, user=request.user)
        contributions, comments_ = selectors.moderation_queue(concertation=concertation)
        return Response(
            ModerationQueueSerializer({"contributions": contributions, "comments": comments_}).data
        )


class ModerationLogPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500


class ModerationLogApi(ConcertationMixin, ListAPIView):
    """The public moderation log of a concertation: every approval, hiding, restoring,
    merge and answer, with its reason and the role acted in (never a person)."""

    serializer_class = ModerationActionOutputSerializer
    pagination_class = ModerationLogPagination
    filter_backends = []

    def get_queryset(self):
        return selectors.moderation_log(concertation=self.concertation())
