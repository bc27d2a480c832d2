# SPDX-License-Identifier: AGPL-3.0-or-later
"""The portal's pages, in French and without JavaScript: the list twin of the map with its
filters and counts, a project's page (its progress, days left, loan terms, the link out,
the collectivité's support, a refusal's reason), the figures as tables; a project under
review is not public; text is kept as typed."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone, translation

from carto_concertation.crowdfunding.selectors.portal import campaign_timing, loan_example
from carto_concertation.territories.services import territory_modules_switch
from tests.factories import CrowdfundingPhotoFactory, CrowdfundingProjectFactory

from .portal_world import portal_fixture  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def listed_titles(html: str) -> list[str]:
    block = html.split('id="project-list"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<h3><a href="[^"]+">([^<]+)</a></h3>', block)


def test_the_portal_lists_the_projects_on_the_map_with_their_counts(client, portal):
    response = client.get("/financement/", headers={"accept-language": "fr"})
    assert response.status_code == 200
    html = response.content.decode()
    titles = listed_titles(html)
    # Under way first, then to come, funded, inaugurated, not funded; never refused nor
    # under review.
    assert titles == [
        "Jardin partagé des Tilleuls",
        "Vélos cargo partagés",
        "Toiture solaire de l&#x27;école",
        "Four à pain du village",
        "Épicerie solidaire",
    ]
    counts = html.split('id="portal-counts"', 1)[1].split("</p>", 1)[0]
    assert "5 projets" in counts and "Financé : 1" in counts
    # The refused project is listed apart, with a link to its reason; not the one under review.
    assert 'id="refused-list"' in html and "Parking payant" in html
    assert "Projet en cours d" not in html
    assert "20 jours restants" in html
    assert 'max="100" value="25"' in html
    assert "Campagne terminée le 30 avril 2024" in html


def test_the_filters_select_the_list_and_a_bad_value_is_a_400(client, portal):
    second = portal["communes"][1]
    by_commune = listed_titles(client.get(f"/financement/?commune={second.insee}").content.decode())
    assert by_commune == ["Toiture solaire de l&#x27;école", "Épicerie solidaire"]
    loans = client.get("/financement/?modalite=loan&modalite=loan_interest").content.decode()
    assert listed_titles(loans) == ["Vélos cargo partagés", "Toiture solaire de l&#x27;école"]
    # The form shows what was chosen, as checkboxes a page without JavaScript sends again.
    assert re.search(
        r'type="checkbox" name="modalite" value="loan_interest" id="[^"]+" checked', loans
    )
    assert not re.search(r'name="modalite" value="donation" id="[^"]+" checked', loans)
    funded = client.get("/financement/?etat=funded&etat=inaugurated&theme=heritage")
    assert listed_titles(funded.content.decode()) == ["Four à pain du village"]
    bad = client.get("/financement/?modalite=gift")
    assert bad.status_code == 400
    assert "Modalité" in bad.content.decode() and listed_titles(bad.content.decode()) == []
    refused_asked = client.get("/financement/?etat=refused")
    assert refused_asked.status_code == 400


def test_a_loan_s_page_states_its_terms_progress_support_and_platform(client, portal):
    html = client.get(f"/financement/{portal['loan'].slug}/").content.decode()
    assert "Un prêt à 1,80 % par an sur 60 mois." in html
    # 100 € at 1.8 % a year over 60 equal monthly payments (rate 0.15 % a month):
    # 100 × 0.0015 / (1 − 1.0015^−60) = 1.744 € a month, 104.64 € in all.
    monthly = 100 * 0.0015 / (1 - 1.0015**-60)
    assert f"{monthly:.2f}".replace(".", ",") == "1,74"
    assert "60 mensualités" in html and "1,74 € par mois" in html and "104,64 € en tout" in html
    assert "risque" in html
    # Amounts are grouped by thousands, as French writes them.
    assert "25 % du budget total de 80\xa0000 €" in html
    assert "20\xa0000 € collectés sur 20\xa0000 €" in html
    assert 'max="100" value="100"' in html and "100 % de l’objectif" in html
    assert "27" in html.split('id="contributors"', 1)[1][:20]
    link = re.search(r'<a class="button" id="campaign-link" href="([^"]+)" rel="([^"]+)"', html)
    assert link.groups() == ("https://www.collecticity.fr/projets/toiture", "noopener external")
    assert "Participer sur Collecticity" in html
    assert "Soutenu par" in html and "5\xa0000 €" in html
    assert "Campagne terminée le 30 avril 2024" in html


def test_days_left_today_tomorrow_and_a_progress_over_the_goal(client, portal):
    today = timezone.localdate()
    project = portal["campaign"]
    assert campaign_timing(project).days == 20
    project.campaign_ends_on = today
    assert (campaign_timing(project).state, campaign_timing(project).days) == ("under_way", 0)
    assert campaign_timing(project, today + timedelta(days=1)).state == "ended"
    last_day = CrowdfundingProjectFactory(campaign_ends_on=today, goal=1_000, raised=1_240)
    html = client.get(f"/financement/{last_day.slug}/").content.decode()
    assert "Dernier jour de la campagne" in html
    assert 'max="100" value="100"' in html and "124 % de l’objectif" in html
    one_left = CrowdfundingProjectFactory(campaign_ends_on=today + timedelta(days=1))
    assert "1 jour restant" in client.get(f"/financement/{one_left.slug}/").content.decode()
    to_come = client.get(f"/financement/{portal['accepted'].slug}/").content.decode()
    assert "La campagne commence le" in to_come
    # An interest-free loan of 24 months: 100 € come back as 24 payments of 4.17 €.
    example = loan_example(portal["accepted"])
    assert (example.monthly, example.total, example.months) == (
        Decimal("4.17"),
        Decimal("100.00"),
        24,
    )
    assert "sans intérêts" in to_come


def test_a_refused_project_shows_its_reason_and_one_under_review_is_not_found(client, portal):
    refused = client.get(f"/financement/{portal['refused'].slug}/")
    assert refused.status_code == 200
    assert "Hors du champ du portail" in refused.content.decode()
    assert 'id="campaign-link"' not in refused.content.decode()
    assert client.get(f"/financement/{portal['submitted'].slug}/").status_code == 404
    assert client.get("/financement/nothing-here/").status_code == 404
    # Reads only: the portal's pages take no write.
    assert client.post(f"/financement/{portal['refused'].slug}/").status_code == 405


def test_the_module_switched_off_hides_the_territory_s_projects(client, portal):
    territory_modules_switch(territory=portal["territory"], modules_off=["crowdfunding"])
    assert client.get(f"/financement/{portal['loan'].slug}/").status_code == 404
    assert listed_titles(client.get("/financement/").content.decode()) == []


def test_text_is_kept_as_typed_and_escaped_once(client):
    typed = "<script>alert('x')</script> & \"guillemets\""
    project = CrowdfundingProjectFactory(
        title=typed, summary=typed, description=typed, porteur_name=typed
    )
    CrowdfundingPhotoFactory(project=project, caption=typed)
    html = client.get(f"/financement/{project.slug}/").content.decode()
    escaped = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; &quot;guillemets&quot;"
    assert "<script>alert" not in html
    assert html.count(escaped) >= 5
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    listed = client.get("/financement/").content.decode()
    assert escaped in listed and "<script>alert" not in listed


def test_the_figures_page_has_its_tables(client, portal):
    html = client.get("/financement/chiffres/").content.decode()
    per_year = html.split('id="per-year"', 1)[1].split("</table>", 1)[0]
    assert re.search(
        r"<th scope=\"row\">2024</th><td>1</td><td>1</td><td>20\xa0000 €</td>", per_year
    )
    per_commune = html.split('id="per-commune"', 1)[1].split("</table>", 1)[0]
    second = portal["communes"][1]
    assert f"{second.name} ({second.insee})" in per_commune
