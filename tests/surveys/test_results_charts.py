# SPDX-License-Identifier: AGPL-3.0-or-later
"""The server's SVG bar chart: well-formed XML, accessible (title, description, each
bar's label and value as text), labels escaped once, bars proportional to the values."""

from xml.etree import ElementTree

from carto_concertation.surveys.charts import bar_chart_svg

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> list[tuple[str, float, float]]:
    """(label, value, bar length) of each bar of the chart."""
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own SVG)
    found = []
    for group in root.iter(f"{SVG}g"):
        texts = [text.text for text in group.iter(f"{SVG}text")]
        width = float(group.find(f"{SVG}rect").get("width"))
        found.append((texts[0], float(group.get("data-value")), width))
    return found


def test_the_chart_is_accessible_escaped_and_proportional():
    svg = bar_chart_svg(
        title='Vélo & "sécurité" <script>',
        description="Répondants par réponse",
        bars=[("<b>Piste</b> & trottoir", 40), ("Bus", 10), ("Rien", 0), ("Train", 25)],
        ident="chart-q1",
    )
    root = ElementTree.fromstring(svg)  # noqa: S314 (our own SVG)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "chart-q1-title chart-q1-desc"
    assert root.find(f"{SVG}title").text == 'Vélo & "sécurité" <script>'
    assert root.find(f"{SVG}desc").text == "Répondants par réponse"
    assert "<script>" not in svg and "<b>" not in svg
    drawn = bars(svg)
    assert [label for label, _v, _w in drawn] == ["<b>Piste</b> & trottoir", "Bus", "Rien", "Train"]
    # The largest bar fills the area; the others in proportion.
    largest = max(width for _l, _v, width in drawn)
    for _label, value, width in drawn:
        assert abs(width - largest * value / 40) < 0.01
    # Each value is written as text after its bar.
    values = [group.findall(f"{SVG}text")[1].text for group in root.iter(f"{SVG}g")]
    assert values == ["40", "10", "0", "25"]


def test_a_chart_without_answers_says_so():
    root = ElementTree.fromstring(bar_chart_svg(title="Q", description="D", bars=[]))  # noqa: S314 (our own SVG)
    assert [text.text for text in root.iter(f"{SVG}text")] == ["No answers yet."]


def test_long_labels_are_cut_and_kept_whole_in_the_bar_title():
    label = "Une très longue réponse qui ne tient pas dans la marge du graphique"
    root = ElementTree.fromstring(bar_chart_svg(title="Q", description="D", bars=[(label, 3)]))  # noqa: S314 (our own SVG)
    group = next(root.iter(f"{SVG}g"))
    assert group.find(f"{SVG}title").text == f"{label}: 3"
    assert group.find(f"{SVG}text").text.endswith("…")
