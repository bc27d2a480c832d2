# SPDX-License-Identifier: AGPL-3.0-or-later
"""The people of the load bench (tests/bench/test_load.py), for locust.

Residents, planners and relays, each signed in with an account of their own (the plan's,
written by the bench: BENCH_LOAD_PLAN), and tile viewers who only pan the map. Every
request is named by its kind ("page: …", "api: …", "write: …", "tile"): the bench reports
and judges each kind. An answer of 400 or more is a failure named by its status, so that
the bench tells refusals (4xx) from errors (5xx, and 0: no answer at all).
"""

import itertools
import json
import os
import random
import uuid
from urllib.parse import urlsplit

from locust import FastHttpUser, between, task

with open(os.environ["BENCH_LOAD_PLAN"]) as plan_file:
    PLAN = json.load(plan_file)
ACCOUNTS = {role: iter(accounts) for role, accounts in PLAN["accounts"].items()}
TILE_SETS = PLAN["tile_sets"]  # one map view each: the tiles the browser asks for
VIEWS = itertools.count()
# Seeded: every run draws the same ideas and places (not a secret).
PICK = random.Random(23)  # noqa: S311
# Seconds between one action of a person and the next (a page read, a comment written):
# 10 to 30, people reading what they asked for. BENCH_LOAD_WAIT="1,4" is the stress pace
# of the earlier runs, clicking without reading (docs/security.md has both).
WAIT = [float(seconds) for seconds in os.environ.get("BENCH_LOAD_WAIT", "10,30").split(",")]


def failure(response) -> str:
    """What the bench reads: the status, and for no answer (0) why the client gave up."""
    if response.status_code == 0:
        return f"status 0: {response.error!r}"
    return f"status {response.status_code}"


class Person(FastHttpUser):
    """Someone signed in: their session, and the CSRF pair the API asks of a session."""

    abstract = True
    role = ""
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.account = next(ACCOUNTS[self.role])
        token = self.account["csrf"]
        self.headers = {
            "Cookie": f"sessionid={self.account['session']}; csrftoken={token}",
            "X-CSRFToken": token,
            "Accept-Encoding": "gzip",
        }

    def call(self, method: str, path: str, kind: str, body: dict | None = None) -> dict | None:
        with self.client.request(
            method,
            path,
            name=kind,
            headers=self.headers,
            json=body,
            catch_response=True,
        ) as response:
            if response.status_code >= 400 or response.status_code == 0:
                response.failure(failure(response))
                return None
            response.success()
            if "json" in (response.headers.get("content-type") or ""):
                return response.json()
            return None

    def style_fetched(self, path: str) -> None:
        """A page whose map asks the server for its style: MapLibre then asks for each of
        its sources' TileJSONs (our own: the tiles' path) before the first tile."""
        style = self.call("GET", path, "api: map style")
        for source in (style or {}).get("sources", {}).values():
            tilejson = urlsplit(source.get("url", "")).path
            if tilejson.startswith("/tiles/"):
                self.call("GET", tilejson, "api: map style")

    def map_view(self, share: int = 1) -> None:
        """What a browser then asks for to draw a page's map: its tiles (one in ``share``
        of a view's: an idea's small map draws a third of them). The map page and an
        idea's page carry their style with the TileJSONs written in, so a browser asks
        neither (tests/e2e/test_map_first_view.py checks that it does not)."""
        for path in TILE_SETS[next(VIEWS) % len(TILE_SETS)][::share]:
            self.call("GET", path, "tile")


class Resident(Person):
    weight = 16
    role = "resident"

    def on_start(self) -> None:
        super().on_start()
        self.answered = False

    @task(6)
    def map_page(self) -> None:
        self.call("GET", f"/concertations/{PLAN['slug']}/", "page: concertation map")
        self.map_view()

    @task(3)
    def lists(self) -> None:
        slug = PLAN["slug"]
        self.call("GET", f"/api/v1/concertations/{slug}/contributions/", "api: ideas list")
        self.call(
            "GET",
            f"/api/v1/signalements/reports?territory={PLAN['siren']}",
            "api: signalements list",
        )
        self.call(
            "GET", f"/api/v1/budgets/editions/{PLAN['edition']}/projects", "api: budget projects"
        )

    @task(3)
    def idea_and_comments(self) -> None:
        slug, idea = PLAN["slug"], PICK.choice(PLAN["ideas"])
        self.call("GET", f"/concertations/{slug}/idees/{idea}/", "page: idea")
        self.map_view(share=3)
        self.call(
            "GET", f"/api/v1/concertations/{slug}/contributions/{idea}/comments/", "api: comments"
        )

    @task(2)
    def support(self) -> None:
        idea = PICK.choice(PLAN["ideas"])
        vote = f"/api/v1/concertations/{PLAN['slug']}/contributions/{idea}/vote"
        self.call("PUT", vote, "write: support", {"value": 1})

    @task(1)
    def comment(self) -> None:
        idea = PICK.choice(PLAN["ideas"])
        self.call(
            "POST",
            f"/api/v1/concertations/{PLAN['slug']}/contributions/{idea}/comments/",
            "write: comment",
            {"text": "Je suis d'accord, c'est attendu depuis longtemps."},
        )

    @task(1)
    def post_idea(self) -> None:
        self.call(
            "POST",
            f"/api/v1/concertations/{PLAN['slug']}/contributions/",
            "write: idea",
            {
                **PLAN["idea"],
                "geometry": {"type": "Point", "coordinates": PICK.choice(PLAN["points"])},
            },
        )

    @task(1)
    def report_signalement(self) -> None:
        longitude, latitude = PICK.choice(PLAN["points"])
        self.call(
            "POST",
            "/api/v1/signalements/reports",
            "write: signalement",
            {**PLAN["signalement"], "longitude": longitude, "latitude": latitude},
        )

    @task(1)
    def vote_ballot(self) -> None:
        self.call(
            "PUT",
            f"/api/v1/budgets/editions/{PLAN['edition']}/ballot",
            "write: ballot",
            PLAN["ballot"],
        )

    @task(1)
    def questionnaire(self) -> None:
        """Read, and answered once: a second answer of the same account is refused (409)."""
        questionnaire = f"/api/v1/surveys/questionnaires/{PLAN['questionnaire']}"
        self.call("GET", questionnaire, "api: questionnaire")
        if not self.answered:
            self.answered = True
            self.call("POST", f"{questionnaire}/submit", "write: questionnaire", PLAN["answers"])


class Planner(Person):
    weight = 2
    role = "planner"

    @task(4)
    def dashboard(self) -> None:
        """What the dashboard asks: the page (its style with it), the zones' counts its
        map colours, and the map's tiles."""
        slug = PLAN["slug"]
        self.call("GET", f"/concertations/{slug}/tableau-de-bord/", "page: dashboard")
        self.call("GET", f"/api/v1/concertations/{slug}/stats/zones/counts", "api: statistics")
        self.map_view()

    @task(4)
    def statistics(self) -> None:
        """The map's other choropleth (per commune), as the dashboard's switch asks it."""
        slug = PLAN["slug"]
        self.call("GET", f"/api/v1/concertations/{slug}/stats/communes", "api: statistics")

    @task(1)
    def export(self) -> None:
        self.call("GET", f"/api/v1/concertations/{PLAN['slug']}/export?format=csv", "api: export")


class Relay(Person):
    weight = 2
    role = "relay"

    def on_start(self) -> None:
        super().on_start()
        self.workshop = self.account["workshop"]

    @task(1)
    def capture_page(self) -> None:
        self.call("GET", f"/workshops/{self.workshop}/capture/", "page: capture")
        self.style_fetched(f"/tiles/styles/{PLAN['slug']}.json")
        self.map_view()

    @task(3)
    def capture(self) -> None:
        self.call(
            "POST",
            f"/api/v1/workshops/{self.workshop}/captures",
            "write: capture",
            {**PLAN["capture"], "key": str(uuid.uuid4())},
        )


class TileViewer(FastHttpUser):
    """Someone panning the map (not signed in): cached tiles, one view after another."""

    fixed_count = PLAN["tile_viewers"]
    wait_time = between(0.5, 1.5)

    @task
    def view(self) -> None:
        for path in TILE_SETS[next(VIEWS) % len(TILE_SETS)]:
            with self.client.get(
                path, name="tile", headers={"Accept-Encoding": "gzip"}, catch_response=True
            ) as response:
                if response.status_code >= 400 or response.status_code == 0:
                    response.failure(failure(response))
                else:
                    response.success()
