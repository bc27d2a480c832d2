# SPDX-License-Identifier: AGPL-3.0-or-later
"""An import report as lines of text, for the command line and the job page."""

from django.utils.translation import gettext as _


def report_lines(report) -> list[str]:
    data = report if isinstance(report, dict) else report.as_dict()
    lines = [
        _("Source: %(source)s — IDURBA %(idurba)s — CNIG %(cnig)s — CRS %(srs)s")
        % {
            "source": data["source"],
            "idurba": data["idurba"] or "?",
            "cnig": data["cnig_version"] or "?",
            "srs": data["source_srs"] or "?",
        }
    ]
    for table, count in data["counts"].items():
        lines.append(_("  %(table)s: %(count)s features") % {"table": table, "count": count})
    if data["encodings"]:
        lines.append(
            _("  Encodings: %(encodings)s")
            % {"encodings": ", ".join(f"{t} {e}" for t, e in data["encodings"].items())}
        )
    if data["pieces"]:
        lines.append(
            _("  Documents: %(pieces)s (%(links)s links from zones to the règlement)")
            % {"pieces": ", ".join(data["pieces"]), "links": data["regulation_links"]}
        )
    for title, key in (
        (_("Errors"), "errors"),
        (_("Repairs"), "repairs"),
        (_("Warnings"), "warnings"),
    ):
        if data[key]:
            lines.append(f"{title} ({len(data[key])}):")
            lines += [f"  - {item}" for item in data[key]]
    if data["ignored"]:
        lines.append(_("Ignored files: %(files)s") % {"files": ", ".join(data["ignored"])})
    return lines
