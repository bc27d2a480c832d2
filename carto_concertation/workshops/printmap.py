# SPDX-License-Identifier: AGPL-3.0-or-later
"""The printable workshop sheet: an A3 landscape map of a commune with its zoning, its
existing ideas numbered and listed, a legend, a scale bar and a north arrow, for a table
with felt pens. Drawn with Pillow from the geometries PostGIS gives (selectors)."""

import io
import math
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.gis.geos import GEOSGeometry
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from plui_documents.cnig import TYPEZONE_LABELS
from tiles.styles import COMMUNE_LINE, OTHER_ZONE, ZONE_COLOURS

from .models import Workshop
from .selectors import workshop_print_data

DPI = 150
# A3 landscape, 420 × 297 mm.
WIDTH, HEIGHT = round(420 / 25.4 * DPI), round(297 / 25.4 * DPI)
MARGIN = 60
MAP_BOX = (MARGIN, 170, 1720, HEIGHT - 110)
PANEL_X = 1770
PAPER = "#ffffff"
INK = "#222222"
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


def _marker(draw: ImageDraw.ImageDraw, frame: _Frame, number: int, geom: GEOSGeometry) -> None:
    if geom.geom_type == "LineString":
        draw.line(frame.ring(geom.coords), fill=INK, width=5)
    elif geom.geom_type == "Polygon":
        draw.line(frame.ring(geom.coords[0]), fill=INK, width=4)
    anchor = geom.point_on_surface if geom.geom_type != "Point" else geom
    x, y = frame(anchor.x, anchor.y)
    radius = 22 if number < 100 else 28
    draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=PAPER, outline=INK, width=4)
    draw.text((x, y), str(number), fill=INK, font=_font(24, bold=True), anchor="mm")


def _fit(draw: ImageDraw.ImageDraw, text: str, font, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _panel(draw: ImageDraw.ImageDraw, typezones: list[str], ideas) -> None:
    x, y, width = PANEL_X, MAP_BOX[1], WIDTH - MARGIN - PANEL_X
    heading, body = _font(34, bold=True), _font(26)
    draw.text((x, y), _("Zoning (PLUi)"), fill=INK, font=heading)
    y += 56
    for code in typezones:
        draw.rectangle([x, y, x + 48, y + 32], fill=print_colour(code), outline=INK)
        label = f"{code} — {TYPEZONE_LABELS.get(code, _('other zone'))}"
        draw.text((x + 64, y), _fit(draw, label, body, width - 64), fill=INK, font=body)
        y += 44
    draw.line([x, y + 4, x + 48, y + 4], fill=COMMUNE_LINE, width=6)
    draw.text((x + 64, y - 12), _("Commune boundary"), fill=INK, font=body)
    y += 60
    draw.text((x, y), _("Ideas already given"), fill=INK, font=heading)
    y += 56
    if not ideas:
        draw.text((x, y), _("None yet: yours will be the first."), fill=INK, font=body)
    line_height, bottom = 36, MAP_BOX[3] - 20
    for index, (number, title, _geom) in enumerate(ideas):
        if y + 2 * line_height > bottom and index < len(ideas) - 1:
            more = len(ideas) - index
            draw.text((x, y), _("… and %(count)s more.") % {"count": more}, fill=INK, font=body)
            break
        draw.text((x, y), _fit(draw, f"{number}. {title}", body, width), fill=INK, font=body)
        y += line_height


def workshop_sheet_render(
    *, workshop: Workshop, progress: Callable[[int, str], None]
) -> Image.Image:
    """The A3 sheet of a workshop's commune, at DPI dots per inch."""
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
    progress(70, _("Numbering the ideas"))
    for number, _title, geom in data.ideas:
        _marker(draw, frame, number, geom)
    # What lies outside the map box is covered, so that nothing runs into the margins.
    left, top, right, bottom = MAP_BOX
    for box in ((0, 0, WIDTH, top), (0, bottom, WIDTH, HEIGHT), (0, 0, left, HEIGHT)):
        draw.rectangle(box, fill=PAPER)
    draw.rectangle((right, 0, WIDTH, HEIGHT), fill=PAPER)
    draw.rectangle(MAP_BOX, outline=INK, width=3)
    _scale_bar(draw, frame)
    _north_arrow(draw)
    draw.text(
        (MARGIN, 40),
        _("Map workshop — %(commune)s") % {"commune": commune.name},
        fill=INK,
        font=_font(52, bold=True),
    )
    when = formats.date_format(timezone.localtime(workshop.starts_at), "DATETIME_FORMAT")
    draw.text(
        (MARGIN, 110),
        f"{workshop.concertation.title} · {workshop.place} · {when}",
        fill=INK,
        font=_font(28),
    )
    typezones = sorted({typezone for typezone, _l, _g in data.zones}, key=_zone_order)
    _panel(draw, typezones, data.ideas)
    source = workshop.concertation.plui_document
    attribution = _(
        "Zoning: %(document)s. Ideas: the concertation's public contributions. Printed on"
        " %(date)s. Scale 1:%(scale)s at A3."
    ) % {
        "document": source or _("current PLU/PLUi"),
        "date": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
        "scale": f"{round(DPI / 0.0254 / frame.scale):,}".replace(",", " "),
    }
    draw.text((MARGIN, HEIGHT - 80), attribution, fill=INK, font=_font(22))
    progress(90, _("Writing the file"))
    return image


def _zone_order(code: str) -> int:
    order = list(ZONE_COLOURS)
    return order.index(code) if code in order else len(order)


def sheet_path(job_id: str, fmt: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "workshops" / "print" / f"{job_id}.{fmt}"


def sheet_encode(image: Image.Image, fmt: str) -> bytes:
    """PNG, or a one-page PDF whose page is A3 at the sheet's resolution."""
    buffer = io.BytesIO()
    if fmt == "pdf":
        image.save(buffer, "PDF", resolution=DPI)
    else:
        image.save(buffer, "PNG", dpi=(DPI, DPI), optimize=False)
    return buffer.getvalue()
