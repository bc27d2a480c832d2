# SPDX-License-Identifier: AGPL-3.0-or-later
"""Notifications: the person's choices, the footer and headers of every e-mail, the
signed one-click unsubscribe link; and one e-mail sent by the real Celery worker."""

import email
import time
from email import policy
from urllib.parse import urlsplit

import pytest
from django.core import signing
from django.db import transaction
from django.test import Client

from carto_concertation.accounts.notifications import (
    notify,
    unsubscribe_read,
    unsubscribe_token,
    unsubscribe_url,
)
from carto_concertation.accounts.selectors import notification_choices
from carto_concertation.accounts.services import user_profile_update
from carto_concertation.accounts.tasks import notification_send
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("kind", ["answer", "reply", "moderation"])
def test_notify_queues_only_the_kinds_the_person_accepts(kind, django_capture_on_commit_callbacks):
    accepts = UserFactory()
    refuses = user_profile_update(user=UserFactory(), notifications={kind: False})
    with django_capture_on_commit_callbacks() as queued:
        notify(user=refuses, kind=kind, subject="Réponse", body="…")
        notify(user=UserFactory(is_active=False), kind=kind, subject="Réponse", body="…")
        notify(user=None, kind=kind, subject="Réponse", body="…")
    assert queued == []
    with django_capture_on_commit_callbacks() as queued:
        notify(user=accepts, kind=kind, subject="Réponse", body="…")
    assert len(queued) == 1


def test_the_task_checks_the_choice_again_when_it_sends(mailoutbox):
    user = user_profile_update(user=UserFactory(), notifications={"answer": False})
    assert notification_send(user.pk, "answer", "Réponse", "…") is False
    assert mailoutbox == []


def test_every_mail_carries_a_one_click_unsubscribe_link(mailoutbox, settings):
    settings.SITE_URL = "https://concertation.example.fr"
    user = UserFactory(email="camille@example.org")
    assert notification_send(user.pk, "reply", "Une réponse", "Dominique vous a répondu.")
    [mail] = mailoutbox
    assert mail.to == ["camille@example.org"]
    headers = mail.message()
    # The token is signed with a timestamp: read the mail's own link, not a new one.
    link = headers["List-Unsubscribe"].strip("<>")
    prefix = "https://concertation.example.fr/accounts/unsubscribe/"
    assert link.startswith(prefix)
    assert unsubscribe_read(link.removeprefix(prefix).strip("/")) == (user.pk, "reply")
    assert mail.body.startswith("Dominique vous a répondu.\n\n-- \n")
    assert link in mail.body
    assert "https://concertation.example.fr/accounts/preferences/" in mail.body
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_the_link_asks_first_then_stops_only_that_kind():
    user = UserFactory()
    path = urlsplit(unsubscribe_url(user_id=user.pk, kind="reply")).path
    # Mail clients post without cookies nor CSRF token (RFC 8058): the signature suffices.
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")

    page = client.get(path)
    assert page.status_code == 200
    assert "Stop these e-mails" in page.content.decode()
    assert notification_choices(user=user)["reply"], (
        "opening the link (a link checker does) changes nothing"
    )

    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    choices = notification_choices(user=user)
    assert (choices["reply"], choices["answer"], choices["moderation"]) == (
        False,
        True,
        True,
    )


def test_the_link_cannot_be_altered(client):
    victim, attacker = UserFactory(), UserFactory()
    own = unsubscribe_token(user_id=attacker.pk, kind="reply")
    payload, signature = own.rsplit(":", 1)
    forged_payload = signing.dumps([victim.pk, "reply"], salt="x").rsplit(":", 1)[0]
    forgeries = [
        f"{forged_payload}:{signature}",  # someone else's id under my signature
        signing.dumps([victim.pk, "reply"]),  # signed, but not for this purpose
        unsubscribe_token(user_id=victim.pk, kind="reply")[:-2] + "xx",
        ("B" if payload[0] != "B" else "C") + own[1:],  # one character of mine changed
        "not-a-token",
    ]
    for token in forgeries:
        response = client.post(f"/accounts/unsubscribe/{token}/")
        assert response.status_code == 400, token
        assert "not valid" in response.content.decode()
    assert notification_choices(user=victim)["reply"]


def test_a_link_of_a_deleted_account_is_refused(client):
    user = UserFactory()
    token = unsubscribe_token(user_id=user.pk, kind="answer")
    user.delete()
    assert client.post(f"/accounts/unsubscribe/{token}/").status_code == 400


def test_unsubscribe_posts_are_rate_limited(client, settings):
    settings.ACCOUNT_WRITE_RATE = "2/h"
    token = unsubscribe_token(user_id=UserFactory().pk, kind="answer")
    statuses = [client.post(f"/accounts/unsubscribe/{token}/").status_code for _ in range(3)]
    assert statuses == [200, 200, 429]


def worker_mails(directory, recipient: str) -> list[email.message.EmailMessage]:
    """The messages the worker wrote (file-based backend) to ``recipient``."""
    found = []
    for path in sorted(directory.glob("*.log")):
        for chunk in path.read_bytes().split(b"-" * 79):
            if chunk.strip():
                message = email.message_from_bytes(chunk.strip(), policy=policy.default)
                if message["To"] == recipient:
                    found.append(message)
    return found


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_the_worker_sends_it_after_commit_and_its_link_works(celery_worker, worker_mail_dir):
    user = UserFactory(email="worker-test@example.org")
    with transaction.atomic():
        notify(user=user, kind="moderation", subject="Modération", body="Votre idée est masquée.")
        time.sleep(1)
        assert worker_mails(worker_mail_dir, user.email) == [], "nothing before the commit"

    deadline = time.monotonic() + 30
    while not (mails := worker_mails(worker_mail_dir, user.email)):
        assert time.monotonic() < deadline, "the worker sent nothing within 30 s"
        time.sleep(0.2)
    [mail] = mails
    assert mail["Subject"] == "Modération"
    link = mail["List-Unsubscribe"].strip().strip("<>")
    assert link in mail.get_content()

    response = Client().post(urlsplit(link).path)
    assert response.status_code == 200
    assert not notification_choices(user=user)["moderation"]
