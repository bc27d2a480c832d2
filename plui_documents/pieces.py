# SPDX-License-Identifier: AGPL-3.0-or-later
"""The règlement and other PDFs: text per page, French full-text search, zone sections."""

import hashlib
import re

from django.contrib.postgres.search import SearchVector
from django.core.files import File
from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from layers.sources import SourceError

from .models import DocumentPiece, DocumentVersion, PieceKind, PiecePage, RegulationLink

# A line that opens the section of a zone: "Dispositions applicables à la zone UA",
# "CHAPITRE 3 - ZONE UB", "Zone 1AUa :", "Titre II – zones AU"…
_HEADING_TEMPLATE = (
    r"^\s*(?:(?:titre|chapitre|section)\s+[\w.]+\s*[-–—:.]\s*)?"
    r"(?:(?:r[èe]glement|dispositions)\s+(?:applicables?\s+)?(?:à|a|aux)\s+(?:la\s+|les\s+)?)?"
    r"zones?\s+{label}(?:\s*[-–—:.(].*)?\s*$"
)
HEADING_MAX_LENGTH = 120


def piece_kind_for(filename: str) -> PieceKind:
    name = filename.lower()
    if "graphique" in name or "plan" in name or "zonage" in name:
        return PieceKind.PLAN
    if "reglement" in name or "règlement" in name:
        return PieceKind.REGLEMENT
    return PieceKind.OTHER


def read_pdf_pages(pdf: File, name: str) -> list[str]:
    try:
        pdf.seek(0)
        reader = PdfReader(pdf)
        return [(page.extract_text() or "").strip() for page in reader.pages]
    except (PdfReadError, OSError, ValueError) as exc:
        raise SourceError(
            _("%(name)s is not a readable PDF.") % {"name": name}, field="file"
        ) from exc


def piece_store(*, version: DocumentVersion, pdf: File, filename: str) -> DocumentPiece:
    """Store one PDF with its pages' text and search vectors (caller holds the transaction)."""
    pages = read_pdf_pages(pdf, filename)
    digest = hashlib.sha256()
    pdf.seek(0)
    for chunk in pdf.chunks():
        digest.update(chunk)
    piece = DocumentPiece(
        version=version,
        kind=piece_kind_for(filename),
        filename=filename,
        sha256=digest.hexdigest(),
        page_count=len(pages),
    )
    pdf.seek(0)
    piece.file.save(filename, pdf, save=False)
    piece.save()
    PiecePage.objects.bulk_create(
        PiecePage(piece=piece, number=number, text=text)
        for number, text in enumerate(pages, start=1)
    )
    PiecePage.objects.filter(piece=piece).update(search=SearchVector("text", config="french"))
    return piece


def regulation_links_build(*, version: DocumentVersion) -> int:
    """Link each zone label of the version to the pages of the règlement about it."""
    RegulationLink.objects.filter(version=version).delete()
    labels = sorted(set(version.zones.values_list("libelle", flat=True)))
    pieces = list(version.pieces.exclude(kind=PieceKind.PLAN).prefetch_related("pages"))
    links = []
    for piece in pieces:
        starts = _section_starts(piece, labels)
        ordered = sorted({page for page in starts.values()})
        for label, start in starts.items():
            later = [page for page in ordered if page > start]
            end = later[0] - 1 if later else piece.page_count
            links.append(
                RegulationLink(
                    version=version,
                    libelle=label,
                    piece=piece,
                    page_start=start,
                    page_end=max(start, end),
                    method=RegulationLink.Method.HEADING,
                )
            )
    found = {(link.libelle, link.piece_id) for link in links}
    by_name = {piece.filename.lower(): piece for piece in pieces}
    for label, nomfic in set(version.zones.exclude(nomfic="").values_list("libelle", "nomfic")):
        piece = by_name.get(nomfic.lower())
        if piece and (label, piece.pk) not in found:
            found.add((label, piece.pk))
            links.append(
                RegulationLink(
                    version=version,
                    libelle=label,
                    piece=piece,
                    page_start=1,
                    page_end=max(1, piece.page_count),
                    method=RegulationLink.Method.NOMFIC,
                )
            )
    RegulationLink.objects.bulk_create(links)
    return len(links)


def _section_starts(piece: DocumentPiece, labels: list[str]) -> dict[str, int]:
    patterns = {
        label: re.compile(
            _HEADING_TEMPLATE.format(label=re.escape(label)) + r"", re.IGNORECASE | re.MULTILINE
        )
        for label in labels
    }
    starts: dict[str, int] = {}
    for page in piece.pages.all():
        lines = [line for line in page.text.splitlines() if len(line) <= HEADING_MAX_LENGTH]
        block = "\n".join(lines)
        for label, pattern in patterns.items():
            if label not in starts and _matches_exact_case(pattern, block, label):
                starts[label] = page.number
    return starts


def _matches_exact_case(pattern: re.Pattern, text: str, label: str) -> bool:
    """Headings may be in capitals, but "zone A" must not match a heading of zone "a"…:
    the label itself must appear as written, or the whole heading be upper case."""
    for match in pattern.finditer(text):
        heading = match.group(0)
        if label in heading or heading.upper() == heading:
            return True
    return False
