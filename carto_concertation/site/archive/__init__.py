# SPDX-License-Identifier: AGPL-3.0-or-later
"""Reversibility: the whole platform written to an archive of open formats
(export_platform) and loaded back into an empty instance (import_platform).

tables.py says which tables travel, writer.py writes the archive (gpkg.py its GeoPackage, by ogr2ogr,
schema.py its JSON Schemas, manifest.py its manifest and checksums), reader.py checks and
loads it. The format is documented in docs/reversibility.md.
"""

from .gpkg import GeoPackageError
from .manifest import FORMAT, FORMAT_VERSION, ArchiveRefused
from .reader import instance_empty, platform_import
from .writer import personal_data_notice, platform_export

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "ArchiveRefused",
    "GeoPackageError",
    "instance_empty",
    "personal_data_notice",
    "platform_export",
    "platform_import",
]
