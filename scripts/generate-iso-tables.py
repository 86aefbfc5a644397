#!/usr/bin/env python3
"""Regenerates the ISO 3166-1 alpha-3 and ISO 639-1 tables in Sources/AccordCore.

Needs `pip install pycountry`. The output is committed; the build never runs this.
"""
import pathlib
import pycountry

root = pathlib.Path(__file__).resolve().parent.parent / "Sources" / "AccordCore"

def table(path, ext, doc, name, rows, source):
    out = [f"// Generated from {source} via the pycountry data set; regenerate with scripts/generate-iso-tables.py.",
           "// Do not edit by hand.\n", f"extension {ext} {{", f"    /// {doc}", f"    static let {name}: [String: String] = ["]
    for code, label in rows:
        label = label.replace('"', '\\"')
        out.append(f'        "{code}": "{label}",')
    out.append("    ]\n}")
    (root / path).write_text("\n".join(out) + "\n")

table("CountryCode+ISO3166.swift", "CountryCode", "ISO 3166-1 alpha-3 codes with their English short names.",
      "iso3166Alpha3", sorted((c.alpha_3, c.name) for c in pycountry.countries), "ISO 3166-1 (alpha-3)")
table("LanguageCode+ISO639.swift", "LanguageCode", "ISO 639-1 two-letter codes with their English names.",
      "iso639Part1", sorted((l.alpha_2, l.name) for l in pycountry.languages if hasattr(l, "alpha_2")), "ISO 639-1")
