"""The French catalogue: complete, current with the code, and set the way UN French is set.

The catalogue is ``workplan/translations/fr/LC_MESSAGES/messages.po``. A string marked for
translation in a template or in the code but missing from it, untranslated, fuzzy, with
placeholders that differ from the English, or breaking French typography fails here.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from workplan.i18n import NNBSP, format_day, typeset

ROOT = Path(__file__).resolve().parent.parent
FRENCH = ROOT / "workplan" / "translations" / "fr" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]|\{(\w+)\}")


def _catalogue():
    with FRENCH.open("rb") as po:
        return read_po(po, locale="fr")


def _messages():
    return [message for message in _catalogue() if message.id]


def _strings(message) -> list[str]:
    return list(message.string) if message.pluralizable else [message.string]


def _ids(message) -> list[str]:
    return list(message.id) if message.pluralizable else [message.id]


def test_every_french_message_is_translated_and_not_fuzzy():
    missing = [_ids(m)[0] for m in _messages() if not all(_strings(m))]
    fuzzy = [_ids(m)[0] for m in _messages() if m.fuzzy]
    assert missing == [], f"{len(missing)} untranslated, e.g. {missing[:10]}"
    assert fuzzy == [], f"{len(fuzzy)} fuzzy, e.g. {fuzzy[:10]}"


def test_french_messages_keep_the_placeholders_of_the_english():
    wrong = []
    for message in _messages():
        names = {name for found in PLACEHOLDER.findall(" ".join(_ids(message))) for name in found}
        names.discard("")
        for string in filter(None, _strings(message)):
            used = {name for found in PLACEHOLDER.findall(string) for name in found}
            used.discard("")
            # A singular may leave the count out ("un obstacle"), never add a name.
            if not used <= names or (not message.pluralizable and used != names):
                wrong.append((_ids(message)[0], string))
    assert wrong == []


def test_french_messages_follow_french_typography():
    untidy = [s for m in _messages() for s in _strings(m) if s and typeset(s, "fr") != s]
    assert untidy == [], f"{len(untidy)} strings, e.g. {untidy[:5]} (see workplan.i18n.typeset)"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
def test_the_catalogue_holds_every_string_the_code_and_templates_mark(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run(
        ["make", "-s", "pot", f"POT={pot}", f"BIN={Path(sys.executable).parent}"],
        cwd=ROOT,
        check=True,
    )
    with pot.open("rb") as template:
        marked = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(template) if m.id}
    known = {_ids(m)[0] for m in _messages()}
    assert sorted(marked - known) == [], "run `make messages` and translate the new strings"


def test_typeset_sets_french_punctuation_and_leaves_english_alone():
    assert typeset("Mise en œuvre : 96 %", "fr") == f"Mise en œuvre{NNBSP}: 96{NNBSP}%"
    assert typeset("Terminé? Oui; «bien»!", "fr") == (
        f"Terminé{NNBSP}? Oui{NNBSP}; «{NNBSP}bien{NNBSP}»{NNBSP}!"
    )
    assert typeset("l'homme d'un", "fr") == "l’homme d’un"
    # Addresses, times and code-like text are not punctuation.
    assert typeset("https://example.org à 10:30", "fr") == "https://example.org à 10:30"
    assert typeset("Note: 96%", "en") == "Note: 96%"


def test_the_first_of_the_month_is_an_ordinal_in_french():
    from datetime import date

    assert format_day(date(2026, 12, 1), "fr") == "1er\u00a0décembre 2026"
    assert format_day(date(2026, 12, 2), "fr") == "2\u00a0décembre 2026"
    assert format_day(date(2026, 12, 1), "en") == "1\u00a0December 2026"


def test_the_catalogue_passes_the_checks_the_compiler_makes():
    # `pybabel compile` (make run, make test) refuses a catalogue that fails these: e.g. a
    # python-format message whose "% d" in "100 % done" French cannot keep.
    problems = [(m.id, [str(e) for e in errors]) for m, errors in _catalogue().check()]
    assert problems == []
