# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reads on the zoning: what applies at a point, the règlement's pages, the documents."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.gis.db.models import Extent
from django.contrib.gis.db.models.functions import Transform
from django.contrib.gis.geos import Point
from django.contrib.gis.measure import D
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, QuerySet
from django.utils.html import strip_tags

from carto_concertation.core.changes import Area
from carto_concertation.core.search import HITS_PER_KIND, SearchHit, fold, place_of
from layers.registry import built_in_tileset

from .models import (
    DocumentVersion,
    Information,
    PiecePage,
    Prescription,
    RegulationLink,
    UrbanDocument,
    Zone,
)
from .signals import ZONING_TILESET

# Lines and points of the plan (a building line, a protected tree) apply within this
# distance of the point asked about: about the precision of a plan at 1:5,000.
OVERLAY_TOLERANCE_M = 10


@dataclass(frozen=True)
class ZoningAtPoint:
    zone: Zone
    prescriptions: list[Prescription]
    informations: list[Information]
    regulation_links: list[RegulationLink]


def current_versions() -> QuerySet[DocumentVersion]:
    return DocumentVersion.objects.filter(
        pk__in=UrbanDocument.objects.exclude(current_version=None).values("current_version")
    )


def zone_at_point(*, point: Point) -> Zone | None:
    """The zone of the current PLU/PLUi at a point (any SRID), or None outside them.

    Where two documents cover the point, the most recently approved one wins.
    """
    return (
        Zone.objects.filter(version__in=current_versions(), geom__intersects=point)
        .select_related("version__document")
        .order_by(
            F("version__datappro").desc(nulls_last=True), "-version__imported_at", "source_fid"
        )
        .first()
    )


def zoning_at_point(*, point: Point) -> ZoningAtPoint | None:
    zone = zone_at_point(point=point)
    if zone is None:
        return None
    near = {"version": zone.version_id, "geom__dwithin": (point, D(m=OVERLAY_TOLERANCE_M))}
    return ZoningAtPoint(
        zone=zone,
        prescriptions=list(Prescription.objects.filter(**near).order_by("typepsc", "libelle")),
        informations=list(Information.objects.filter(**near).order_by("typeinf", "libelle")),
        regulation_links=list(
            RegulationLink.objects.filter(
                version=zone.version_id, libelle=zone.libelle
            ).select_related("piece")
        ),
    )


def regulation_search(
    *, query: str, idurba: str | None = None, limit: int = 20
) -> QuerySet[PiecePage]:
    """Pages of the current règlements matching a French full-text query, best first."""
    search = SearchQuery(query, config="french", search_type="websearch")
    pages = PiecePage.objects.filter(search=search, piece__version__in=current_versions())
    if idurba:
        pages = pages.filter(piece__version__document__idurba=idurba)
    return (
        pages.select_related("piece__version__document")
        .annotate(
            rank=SearchRank(F("search"), search),
            headline=SearchHeadline("text", search, config="french", max_words=30, min_words=10),
        )
        .order_by("-rank", "piece_id", "number")[:limit]
    )


def document_list() -> QuerySet[UrbanDocument]:
    return UrbanDocument.objects.select_related("current_version", "territory").order_by("idurba")


def zone_shares(*, geom) -> list[tuple[int, float]]:
    """The current zones a geometry touches, with its share in each (by length for a
    line, by area for an area; a point is wholly in the zone that contains it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "WITH g AS (SELECT ST_GeomFromEWKB(%s) AS g) "
            "SELECT z.id, CASE "
            "  WHEN GeometryType(g.g) IN ('POLYGON', 'MULTIPOLYGON') "
            "    THEN ST_Area(ST_Intersection(z.geom, g.g)) / NULLIF(ST_Area(g.g), 0) "
            "  WHEN GeometryType(g.g) IN ('LINESTRING', 'MULTILINESTRING') "
            "    THEN ST_Length(ST_Intersection(z.geom, g.g)) / NULLIF(ST_Length(g.g), 0) "
            "  ELSE 1 END "
            "FROM plui_documents_zone z, g "
            "WHERE z.version_id IN (SELECT current_version_id FROM plui_documents_urbandocument) "
            "AND ST_Intersects(z.geom, g.g)",
            [bytes(geom.ewkb)],
        )
        return [(zone_id, min(1.0, share or 0.0)) for zone_id, share in cursor.fetchall() if share]


def _zone_boxes(version_id: int, labels: list[str]) -> dict[str, tuple]:
    """The WGS84 box of each label's zones in a version (all its polygons together)."""
    rows = (
        Zone.objects.filter(version_id=version_id, libelle__in=labels)
        .values("libelle")
        .annotate(box=Extent(Transform("geom", 4326)))
    )
    return {row["libelle"]: row["box"] for row in rows}


def zone_search(
    *,
    document_id: int,
    query: str,
    piece_url: Callable[[int, int], str] | None = None,
    limit: int = HITS_PER_KIND,
) -> list[SearchHit]:
    """The zones of a PLU/PLUi's current version whose label (LIBELLE: "UA", "1AUh") or
    long label (LIBELONG) holds the words, a label once (all its polygons, one box);
    an exact label first. Given ``piece_url(piece, page)``, each opens the first page of
    its rules in the règlement (RegulationLink), when one was found."""
    version_id = (
        UrbanDocument.objects.filter(pk=document_id)
        .values_list("current_version", flat=True)
        .first()
    )
    if version_id is None:
        return []
    wanted = fold(query)
    labels = (
        Zone.objects.filter(version_id=version_id)
        .values_list("libelle", "libelong", "typezone")
        .distinct()
        .order_by("libelle")
    )
    exact, starting, holding = [], [], []
    seen: set[str] = set()
    for libelle, libelong, typezone in labels:
        if libelle in seen:
            continue
        label, long = fold(libelle), fold(libelong)
        if label == wanted:
            exact.append((libelle, libelong, typezone))
        elif label.startswith(wanted):
            starting.append((libelle, libelong, typezone))
        elif wanted in long:
            holding.append((libelle, libelong, typezone))
        else:
            continue
        seen.add(libelle)
    found = (exact + starting + holding)[:limit]
    labels = [libelle for libelle, _, _ in found]
    boxes = _zone_boxes(version_id, labels)
    rules: dict[str, str] = {}
    if piece_url is not None:
        links = RegulationLink.objects.filter(version_id=version_id, libelle__in=labels)
        for link in links.order_by("libelle", "page_start"):
            rules.setdefault(link.libelle, piece_url(link.piece_id, link.page_start))
    return [
        SearchHit(
            label=libelle,
            detail=libelong or typezone,
            url=rules.get(libelle, ""),
            **place_of(boxes.get(libelle)),
        )
        for libelle, libelong, typezone in found
    ]


def regulation_page_search(
    *,
    document_id: int,
    query: str,
    piece_url: Callable[[int, int], str],
    limit: int = HITS_PER_KIND,
) -> list[SearchHit]:
    """The pages of a PLU/PLUi's règlement in force matching words (French full-text
    search, best first), each opening the PDF at its page (``piece_url(piece, page)``),
    with the box of the zones whose rules that page holds (RegulationLink), if any."""
    idurba = UrbanDocument.objects.filter(pk=document_id).values_list("idurba", flat=True).first()
    if idurba is None:
        return []
    pages = list(regulation_search(query=query, idurba=idurba, limit=limit))
    hits = []
    for page in pages:
        labels = list(
            RegulationLink.objects.filter(
                piece_id=page.piece_id, page_start__lte=page.number, page_end__gte=page.number
            ).values_list("libelle", flat=True)
        )
        boxes = _zone_boxes(page.piece.version_id, labels) if labels else {}
        extent = None
        if boxes:
            extent = (
                min(b[0] for b in boxes.values()),
                min(b[1] for b in boxes.values()),
                max(b[2] for b in boxes.values()),
                max(b[3] for b in boxes.values()),
            )
        hits.append(
            SearchHit(
                label=f"{page.piece.filename}, p. {page.number}",
                detail=", ".join(labels) or strip_tags(page.headline)[:160],
                url=piece_url(page.piece_id, page.number),
                **place_of(extent),
            )
        )
    return hits


def versions_to_generalise(*, idurba: list[str] = (), again: bool = False) -> list[DocumentVersion]:
    """The current versions whose zoning has no generalisation yet (every current version
    with ``again``), of these documents only when ``idurba`` names some."""
    versions = DocumentVersion.objects.filter(
        pk__in=UrbanDocument.objects.filter(current_version__isnull=False).values("current_version")
    ).select_related("document")
    if idurba:
        versions = versions.filter(document__idurba__in=idurba)
    if not again:
        versions = versions.filter(generalised=False)
    return list(versions.order_by("document__idurba"))


# The side of the cells a version's footprint is cut into (about a z12 tile): a box per
# cell follows a territory's outline, where its one bounding box would also cover a
# neighbour's bays and corners.
FOOTPRINT_CELL_M = 10_000

_VERSION_FOOTPRINT = f"""
    SELECT ST_XMin(box), ST_YMin(box), ST_XMax(box), ST_YMax(box) FROM (
      SELECT ST_Extent(geom_3857) AS box FROM (
        SELECT geom_3857 FROM {Zone._meta.db_table} WHERE version_id = %(version)s
        UNION ALL SELECT geom_3857 FROM {Prescription._meta.db_table} WHERE version_id = %(version)s
        UNION ALL SELECT geom_3857 FROM {Information._meta.db_table} WHERE version_id = %(version)s
      ) AS feature
      GROUP BY floor((ST_XMin(geom_3857) + ST_XMax(geom_3857)) / (2 * %(cell)s)),
               floor((ST_YMin(geom_3857) + ST_YMax(geom_3857)) / (2 * %(cell)s))
    ) AS cell ORDER BY 1, 2"""  # noqa: S608 — the models' table names, no input


def version_footprint(version_id: int | None) -> tuple[Area, ...]:
    """Where a plan version shows on the zoning tiles (core.changes): a box per cell of
    FOOTPRINT_CELL_M holding its features (zones, prescriptions, informations), each
    box their extent, at the zooms the zoning tileset draws. Empty for no version."""
    if version_id is None:
        return ()
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_FOOTPRINT, {"version": version_id, "cell": FOOTPRINT_CELL_M})
        bboxes = tuple(tuple(row) for row in cursor.fetchall())
    layers = built_in_tileset(ZONING_TILESET)
    zooms = range(
        min(layer.minzoom for layer in layers), max(layer.maxzoom for layer in layers) + 1
    )
    return (Area(bboxes=bboxes, zooms=zooms),) if bboxes else ()
