# SPDX-License-Identifier: AGPL-3.0-or-later
"""The open files' formats: how each is served (HTTP) and described (DCAT)."""

from dataclasses import dataclass

EU_FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA_MEDIA_TYPE = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class FileFormat:
    key: str  # the file's extension, OpenFile.format
    label: str
    content_type: str  # the HTTP Content-Type
    media_type: str  # its IANA registration (dcat:mediaType)
    eu_file_type: str  # the EU file-type code (dct:format)

    @property
    def media_type_uri(self) -> str:
        return IANA_MEDIA_TYPE + self.media_type

    @property
    def file_type_uri(self) -> str:
        return EU_FILE_TYPE + self.eu_file_type


# In the order the page and the catalogue list them. FlatGeobuf has no IANA registration
# nor an EU file-type code of its own (the EU table files ".fgb" under BIN): it is
# described as the binary file it is, and named by its label.
FORMATS = {
    f.key: f
    for f in (
        FileFormat("geojson", "GeoJSON", "application/geo+json", "application/geo+json", "GEOJSON"),
        FileFormat("csv", "CSV", "text/csv; charset=utf-8", "text/csv", "CSV"),
        FileFormat(
            "gpkg",
            "GeoPackage",
            "application/geopackage+sqlite3",
            "application/geopackage+sqlite3",
            "GPKG",
        ),
        FileFormat(
            "fgb", "FlatGeobuf", "application/octet-stream", "application/octet-stream", "BIN"
        ),
    )
}
