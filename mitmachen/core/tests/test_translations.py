"""Every German UI string has an English translation (compiled into locale/en)."""

import re
from pathlib import Path

from django.utils.translation import trans_real

ROOT = Path(__file__).resolve().parents[3]
TEMPLATE_STRING = re.compile(r"""{%\s*translate\s+(["'])(.+?)\1""")
PYTHON_STRING = re.compile(r"""\b(?:_|gettext|gettext_lazy)\(\s*"((?:[^"\\]|\\.)+)"\s*[,)]""")


def source_strings():
    found = set()
    for path in list((ROOT / "templates").rglob("*.html")) + list(
        (ROOT / "mitmachen").rglob("templates/**/*.html")
    ):
        found |= {m.group(2) for m in TEMPLATE_STRING.finditer(path.read_text())}
    for path in (ROOT / "mitmachen").rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found |= {m.group(1) for m in PYTHON_STRING.finditer(path.read_text())}
    return {s for s in found if "\\" not in s}


def test_source_strings_are_found():
    strings = source_strings()
    assert "Zum Inhalt springen" in strings
    assert "Die Geometrie ist leer." in strings
    assert len(strings) > 150


def test_every_string_has_an_english_translation():
    # Look into the catalogue: some words are the same in both languages ("Name").
    catalog = trans_real.translation("en")._catalog
    missing = sorted(s for s in source_strings() if not catalog.get(s))
    assert not missing, "Run `make messages` and translate: " + "; ".join(missing[:20])
