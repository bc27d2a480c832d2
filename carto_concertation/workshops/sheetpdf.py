# SPDX-License-Identifier: AGPL-3.0-or-later
"""The printed sheet as a PDF: Pillow's pages (A3 at the sheet's resolution) with the
words drawn on them laid again as invisible text (render mode 3, as a scanned and
recognised document), so that the list of ideas can be searched, copied and read aloud
by a screen reader; what prints is the drawing alone."""

import io
from collections.abc import Sequence

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ByteStringObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    NumberObject,
)

FONT = NameObject("/FSheetText")
# One line of text on a page: left and top in pixels, the font's size in pixels, the words.
TextLine = tuple[float, float, float, str]


def _font() -> DictionaryObject:
    # A standard font: nothing to embed; WinAnsi holds the French letters.
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
            NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
        }
    )


def _text_layer(lines: Sequence[TextLine], *, dpi: int, page_height_pt: float) -> list:
    points = 72 / dpi
    operations: list = [([], b"BT"), ([NumberObject(3)], b"Tr")]
    for left, top, size, words in lines:
        baseline = page_height_pt - (top + size) * points
        operations += [
            ([FONT, FloatObject(round(size * points, 2))], b"Tf"),
            (
                [
                    *(NumberObject(n) for n in (1, 0, 0, 1)),
                    FloatObject(round(left * points, 2)),
                    FloatObject(round(baseline, 2)),
                ],
                b"Tm",
            ),
            ([ByteStringObject(words.encode("cp1252", "replace"))], b"Tj"),
        ]
    operations.append(([], b"ET"))
    return operations


def sheet_pdf(pages: Sequence[Image.Image], texts: Sequence[Sequence[TextLine]], dpi: int) -> bytes:
    """One PDF page per image, each at ``dpi`` (so an A3 sheet prints at A3), carrying
    its lines of text."""
    drawn = io.BytesIO()
    pages[0].save(drawn, "PDF", resolution=dpi, save_all=True, append_images=list(pages[1:]))
    writer = PdfWriter(clone_from=io.BytesIO(drawn.getvalue()))
    for page, lines in zip(writer.pages, texts, strict=True):
        if not lines:
            continue
        resources = page[NameObject("/Resources")].get_object()
        fonts = resources.get(NameObject("/Font"))
        fonts = fonts.get_object() if fonts is not None else DictionaryObject()
        fonts[FONT] = _font()
        resources[NameObject("/Font")] = fonts
        content = page.get_contents()
        content.operations = [
            *content.operations,
            *_text_layer(lines, dpi=dpi, page_height_pt=float(page.mediabox.height)),
        ]
        page.replace_contents(content)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
