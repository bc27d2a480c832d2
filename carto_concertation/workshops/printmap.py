# SPDX-License-Identifier: AGPL-3.0-or-later
"""The printable workshop sheet: an A3 landscape map of a commune with its zoning, its
existing ideas numbered and listed, a legend, a scale bar and a north arrow, for a table
with felt pens. Drawn with Pillow from the geometries PostGIS gives (selectors)."""

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from plui_documents.cnig import TYPEZONE_LABELS
from tiles.styles import COMMUNE_LINE, OTHER_ZONE, ZONE_COLOURS

from .labels import place_labels
from .models import Workshop
from .selectors import workshop_print_data
from .sheetpdf import TextLine, sheet_pdf

DPI = 150
# A3 landscape, 420 × 297 mm.
WIDTH, HEIGHT = round(420 / 25.4 * DPI), round(297 / 25.4 * DPI)
MARGIN = 60
MAP_BOX = (MARGIN, 170, 1720, HEIGHT - 110)
PANEL_X = 1770
PAPER = "#ffffff"
INK = "#222222"
# The chosen context layers, drawn over the zoning in print-safe colours, in turn.
OVERLAY_COLOURS = ("#1b4f9c", "#8e1b6d", "#0f6e5a", "#9c4a00", "#4b2a8c")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
FORMATS = {"png": "image/png", "pdf": "application/pdf"}


def print_colour(typezone: str) -> tuple[int, int, int]:
    """The zone's colour of the web map, lightened so that felt pens show on it."""
    hex_colour = ZONE_COLOURS.get(typezone, OTHER_ZONE).lstrip("#")
    rgb = [int(hex_colour[i : i + 2], 16) for i in (0, 2, 4)]
    return tuple(round(255 - (255 - c) * 0.55) for c in rgb)


def _font(size: int, bold: bool = False):
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    try:
        return ImageFont.truetype(str(FONT_DIR / name), size)
    except OSError:  # no DejaVu on this system: Pillow's own font, at the size asked
        return ImageFont.load_default(size)


class _Frame:
    """From the projected SRID (metres) to the pixels of the map box, north up."""

    def __init__(self, extent: tuple[float, float, float, float]):
        xmin, ymin, xmax, ymax = extent
        left, top, right, bottom = MAP_BOX
        pad = 0.03
        width, height = (xmax - xmin) * (1 + 2 * pad), (ymax - ymin) * (1 + 2 * pad)
        self.scale = min((right - left) / width, (bottom - top) / height)  # px per metre
        self.cx, self.cy = (xmin + xmax) / 2, (ymin + ymax) / 2
        self.px, self.py = (left + right) / 2, (top + bottom) / 2

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return self.px + (x - self.cx) * self.scale, self.py - (y - self.cy) * self.scale

    def ring(self, coords) -> list[tuple[float, float]]:
        return [self(x, y) for x, y in coords]


def _polygons(geom: GEOSGeometry):
    if geom.geom_type == "Polygon":
        yield geom
    elif geom.geom_type in ("MultiPolygon", "GeometryCollection"):
        for part in geom:
            yield from _polygons(part)


def _draw_area(image: Image.Image, frame: _Frame, geom, fill, outline, width: int = 1) -> None:
    """Fill a (multi)polygon with its holes left open, through a mask the size of the
    polygon: painting holes in white would erase the zones drawn earlier inside them."""
    draw = ImageDraw.Draw(image)
    for polygon in _polygons(geom):
        rings = [frame.ring(ring.coords) for ring in polygon]
        if len(rings[0]) < 3:
            continue
        if fill is not None:
            xs, ys = [x for x, _y in rings[0]], [y for _x, y in rings[0]]
            left, top = math.floor(min(xs)), math.floor(min(ys))
            size = (math.ceil(max(xs)) - left + 1, math.ceil(max(ys)) - top + 1)
            mask = Image.new("L", size, 0)
            shape = ImageDraw.Draw(mask)
            shape.polygon([(x - left, y - top) for x, y in rings[0]], fill=255)
            for hole in rings[1:]:
                if len(hole) >= 3:
                    shape.polygon([(x - left, y - top) for x, y in hole], fill=0)
            image.paste(fill, (left, top, left + size[0], top + size[1]), mask)
        for ring in rings:
            draw.line([*ring, ring[0]], fill=outline, width=width)


def _nice_length(metres: float) -> float:
    """The round length (1, 2 or 5 × 10ⁿ m) just under ``metres``."""
    power = 10 ** math.floor(math.log10(metres))
    return max(step * power for step in (1, 2, 5) if step * power <= metres)


def _scale_bar(draw: ImageDraw.ImageDraw, frame: _Frame) -> None:
    left, _top, _right, bottom = MAP_BOX
    length_m = _nice_length(300 / frame.scale)
    length_px = length_m * frame.scale
    x, y = left + 30, bottom - 50
    draw.rectangle([x - 12, y - 48, x + length_px + 24, y + 26], fill=PAPER)
    draw.rectangle([x, y, x + length_px / 2, y + 14], fill=INK)
    draw.rectangle([x, y, x + length_px, y + 14], outline=INK, width=2)
    label = f"{length_m / 1000:g} km" if length_m >= 1000 else f"{length_m:g} m"
    draw.text((x, y - 40), label, fill=INK, font=_font(26))


def _north_arrow(draw: ImageDraw.ImageDraw) -> None:
    _left, top, right, _bottom = MAP_BOX
    x, y = right - 70, top + 40
    draw.polygon([(x, y), (x - 26, y + 80), (x, y + 62), (x + 26, y + 80)], fill=INK)
    draw.text((x, y + 110), "N", fill=INK, font=_font(36, bold=True), anchor="mm")


def _furniture(frame: _Frame) -> list[tuple[float, float, float, float]]:
    """The boxes the scale bar and the north arrow cover on the map (no number there)."""
    left, top, right, bottom = MAP_BOX
    length_px = _nice_length(300 / frame.scale) * frame.scale
    return [
        (left, bottom - 110, left + 30 + length_px + 40, bottom),
        (right - 110, top, right, top + 180),
    ]


def _anchor(frame: _Frame, geom: GEOSGeometry) -> tuple[float, float]:
    anchor = geom.point_on_surface if geom.geom_type != "Point" else geom
    return frame(anchor.x, anchor.y)


def _shape(draw: ImageDraw.ImageDraw, frame: _Frame, geom: GEOSGeometry) -> None:
    if geom.geom_type == "LineString":
        draw.line(frame.ring(geom.coords), fill=INK, width=5)
    elif geom.geom_type == "Polygon":
        draw.line(frame.ring(geom.coords[0]), fill=INK, width=4)


def _markers(draw: ImageDraw.ImageDraw, frame: _Frame, ideas) -> tuple[list, float]:
    """The ideas' shapes, then their numbers placed so that none overprints another
    (labels.place_labels), a leader line from the idea to a number moved off it.
    Returns [(number, label centre)] and the side of a label's box."""
    radius = 22 if len(ideas) < 100 else 28
    for _number, _title, geom in ideas:
        _shape(draw, frame, geom)
    anchors = [_anchor(frame, geom) for _n, _t, geom in ideas]
    centres = place_labels(anchors, size=2 * radius, bounds=MAP_BOX, blocked=_furniture(frame))
    for (ax, ay), (x, y) in zip(anchors, centres, strict=True):
        if (ax, ay) != (x, y):
            draw.line([(ax, ay), (x, y)], fill=INK, width=3)
            draw.ellipse([ax - 6, ay - 6, ax + 6, ay + 6], fill=INK)
    font = _font(24 if radius == 22 else 22, bold=True)
    for (number, _title, _geom), (x, y) in zip(ideas, centres, strict=True):
        draw.ellipse(
            [x - radius, y - radius, x + radius, y + radius], fill=PAPER, outline=INK, width=4
        )
        draw.text((x, y), str(number), fill=INK, font=font, anchor="mm")
    numbers = [number for number, _t, _g in ideas]
    return list(zip(numbers, centres, strict=True)), 2 * radius


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


class _Writer:
    """Draws lines of text on a page and keeps them for the PDF's text layer."""

    def __init__(self, image: Image.Image):
        self.draw = ImageDraw.Draw(image)
        self.lines: list[TextLine] = []

    def text(self, xy, words: str, size: int, bold: bool = False, width: int | None = None):
        font = _font(size, bold=bold)
        if width is not None:
            words = _fit(self.draw, words, font, width)
        self.draw.text(xy, words, fill=INK, font=font)
        self.lines.append((xy[0], xy[1], size, words))


LINE_HEIGHT, BODY = 36, 26


def _overlay(image: Image.Image, draw: ImageDraw.ImageDraw, frame: _Frame, shape, colour) -> None:
    """A context layer's feature: areas outlined (the zoning stays readable under them),
    lines drawn, points as small squares; a collection part by part."""
    if shape.geom_type == "Polygon":
        _draw_area(image, frame, shape, None, outline=colour, width=3)
    elif shape.geom_type == "LineString":
        draw.line(frame.ring(shape.coords), fill=colour, width=3)
    elif shape.geom_type == "Point":
        x, y = frame(shape.x, shape.y)
        draw.rectangle([x - 7, y - 7, x + 7, y + 7], fill=colour)
    else:  # Multi* and GeometryCollection (a clip can give one)
        for part in shape:
            _overlay(image, draw, frame, part, colour)


def _panel(writer: _Writer, typezones: list[str], overlays: list, ideas) -> list:
    """The legend (zoning, commune, the chosen context layers) and the start of the list
    of ideas; returns those left for the next pages."""
    draw = writer.draw
    x, y, width = PANEL_X, MAP_BOX[1], WIDTH - MARGIN - PANEL_X
    writer.text((x, y), _("Zoning (PLUi)"), 34, bold=True)
    y += 56
    for code in typezones:
        draw.rectangle([x, y, x + 48, y + 32], fill=print_colour(code), outline=INK)
        label = f"{code} — {TYPEZONE_LABELS.get(code, _('other zone'))}"
        writer.text((x + 64, y), label, BODY, width=width - 64)
        y += 44
    draw.line([x, y + 4, x + 48, y + 4], fill=COMMUNE_LINE, width=6)
    writer.text((x + 64, y - 12), _("Commune boundary"), BODY)
    y += 60
    for title, colour in overlays:
        draw.rectangle([x, y - 8, x + 48, y + 16], outline=colour, width=4)
        writer.text((x + 64, y - 12), title, BODY, width=width - 64)
        y += 44
    if overlays:
        y += 16
    writer.text((x, y), _("Ideas already given"), 34, bold=True)
    y += 56
    if not ideas:
        writer.text((x, y), _("None yet: yours will be the first."), BODY)
    bottom = MAP_BOX[3] - 20
    for index, (number, title, _geom) in enumerate(ideas):
        if y + 2 * LINE_HEIGHT > bottom and index < len(ideas) - 1:
            writer.text((x, y), _("Continued on the next page."), BODY)
            return list(ideas[index:])
        writer.text((x, y), f"{number}. {title}", BODY, width=width)
        y += LINE_HEIGHT
    return []


LIST_COLUMNS = 3


def _list_page(commune: str, ideas) -> tuple[Image.Image, list[TextLine], list]:
    """A page of the list in columns; returns it, its text and the ideas left over."""
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    writer = _Writer(image)
    writer.text(
        (MARGIN, 40),
        _("Ideas already given in %(commune)s (continued)") % {"commune": commune},
        52,
        bold=True,
    )
    gutter = 40
    column_width = (WIDTH - 2 * MARGIN - gutter * (LIST_COLUMNS - 1)) // LIST_COLUMNS
    per_column = (HEIGHT - 110 - MAP_BOX[1]) // LINE_HEIGHT
    for index, (number, title, _geom) in enumerate(ideas[: per_column * LIST_COLUMNS]):
        column, row = divmod(index, per_column)
        xy = (MARGIN + column * (column_width + gutter), MAP_BOX[1] + row * LINE_HEIGHT)
        writer.text(xy, f"{number}. {title}", BODY, width=column_width)
    left = list(ideas[per_column * LIST_COLUMNS :])
    if left:
        writer.text((MARGIN, HEIGHT - 80), _("Continued on the next page."), BODY)
    return image, writer.lines, left


@dataclass
class Sheet:
    """The pages of a sheet (the map, then the rest of the list), the words on each,
    and where the map's numbers went (number, centre of its box) and the box's side."""

    pages: list[Image.Image]
    texts: list[list[TextLine]]
    labels: list[tuple[int, tuple[float, float]]]
    label_size: float


def workshop_sheet_render(*, workshop: Workshop, progress: Callable[[int, str], None]) -> Sheet:
    """The A3 sheet of a workshop's commune, at DPI dots per inch: the map with its
    legend and the list of ideas, the list going on over as many pages as it needs."""
    progress(5, _("Reading the zoning of the commune"))
    commune = workshop.commune
    extent = commune.geom.extent
    frame = _Frame(extent)
    data = workshop_print_data(workshop=workshop, tolerance_m=0.5 / frame.scale)
    progress(40, _("Drawing the zoning"))
    image = Image.new("RGB", (WIDTH, HEIGHT), PAPER)
    draw = ImageDraw.Draw(image)
    for typezone, _libelle, geom in data.zones:
        _draw_area(image, frame, geom, print_colour(typezone), outline="#8a8a8a")
    _draw_area(image, frame, data.commune, None, outline=COMMUNE_LINE, width=6)
    colours = [OVERLAY_COLOURS[n % len(OVERLAY_COLOURS)] for n in range(len(data.overlays))]
    for (_title, _attribution, shapes), colour in zip(data.overlays, colours, strict=True):
        for shape in shapes:
            _overlay(image, draw, frame, shape, colour)
    progress(70, _("Numbering the ideas"))
    labels, label_size = _markers(draw, frame, data.ideas)
    # What lies outside the map box is covered, so that nothing runs into the margins
    # (the numbers are placed inside it; a line may leave the commune).
    left, top, right, bottom = MAP_BOX
    for box in ((0, 0, WIDTH, top), (0, bottom, WIDTH, HEIGHT), (0, 0, left, HEIGHT)):
        draw.rectangle(box, fill=PAPER)
    draw.rectangle((right, 0, WIDTH, HEIGHT), fill=PAPER)
    draw.rectangle(MAP_BOX, outline=INK, width=3)
    _scale_bar(draw, frame)
    _north_arrow(draw)
    writer = _Writer(image)
    writer.text((MARGIN, 40), _("Map workshop — %(commune)s") % {"commune": commune.name}, 52, True)
    when = formats.date_format(timezone.localtime(workshop.starts_at), "DATETIME_FORMAT")
    writer.text((MARGIN, 110), f"{workshop.concertation.title} · {workshop.place} · {when}", 28)
    typezones = sorted({typezone for typezone, _l, _g in data.zones}, key=zone_order)
    legend = [
        (title, colour) for (title, _a, _s), colour in zip(data.overlays, colours, strict=True)
    ]
    left_over = _panel(writer, typezones, legend, data.ideas)
    source = workshop.concertation.plui_document
    attribution = _(
        "Zoning: %(document)s. Ideas: the concertation's public contributions. Printed on"
        " %(date)s. Scale 1:%(scale)s at A3."
    ) + "".join(f" {title} : {credit}." for title, credit, _s in data.overlays if credit)
    attribution %= {
        "document": source or _("current PLU/PLUi"),
        "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "scale": f"{round(DPI / 0.0254 / frame.scale):,}".replace(",", " "),
    }
    writer.text((MARGIN, HEIGHT - 80), attribution, 22)
    pages, texts = [image], [writer.lines]
    while left_over:
        page, lines, left_over = _list_page(commune.name, left_over)
        pages.append(page)
        texts.append(lines)
    progress(90, _("Writing the file"))
    return Sheet(pages=pages, texts=texts, labels=labels, label_size=label_size)


def zone_order(code: str) -> int:
    order = list(ZONE_COLOURS)
    return order.index(code) if code in order else len(order)


def sheet_path(job_id: str, fmt: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "workshops" / "print" / f"{job_id}.{fmt}"


def sheet_encode(sheet: Sheet, fmt: str) -> bytes:
    """A PDF of A3 pages with their words as text, or a PNG: the pages one under the
    other (a single A3 sheet when the list fits beside the map)."""
    if fmt == "pdf":
        return sheet_pdf(sheet.pages, sheet.texts, DPI)
    image = sheet.pages[0]
    if len(sheet.pages) > 1:
        image = Image.new("RGB", (WIDTH, HEIGHT * len(sheet.pages)), PAPER)
        for index, page in enumerate(sheet.pages):
            image.paste(page, (0, HEIGHT * index))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(DPI, DPI), optimize=False)
    return buffer.getvalue()
