"""Look-alike, invisible and control characters in names (issue 12, finding 8).

Names are read in Unicode's NFKC form; a control or invisible character in a name is refused
with its place, from the file and from the app's editors alike; a name that only looks like
another of the same list is reported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.files import ModelInvalid, load_model_text
from workbook.validate import validate

SALES = (Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml").read_text(encoding="utf-8")


def loaded(old: str, new: str):
    assert old in SALES
    return load_model_text(SALES.replace(old, new, 1)).model


LOOK_ALIKES = [
    ("  - name: Qualify", "  - name: Ѕend to sales\n  - name: Qualify", "states[1].name", "'Ѕ' (cyrillic)"),
    ("  - name: Dana Ortiz", "  - name: Dаna Ortiz\n  - name: Dana Ortiz", "team[1].name", "'а' (cyrillic)"),
    ("  - name: Qualify", "  - name: Sеnd to sаles\n  - name: Qualify", "states[1].name", "cyrillic"),
    ("  - name: Qualify", "  - name: Ѕеnd tο sales\n  - name: Qualify", "states[1].name", "greek"),
]


@pytest.mark.parametrize(("old", "new", "where", "said"), LOOK_ALIKES)
def test_look_alike_names_are_reported(old, new, where, said):
    errors = [str(e) for e in validate(loaded(old, new)).errors]
    assert any(e.startswith(where) and "looks the same as" in e and said in e for e in errors), errors


INVISIBLE = ["\u200b", "\u200d", "\ufeff", "\u202e", "\x00", "\x07", "\u2028", "\ue000"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_invisible_characters_in_names_are_refused_from_the_file(char):
    escaped = f"\\u{ord(char):04x}"
    with pytest.raises(ModelInvalid) as info:
        loaded("name: Nurture\n", f'name: "Nur{escaped}ture"\n')
    said = [str(p) for p in info.value.problems]
    assert any("states[2].name" in p and f"U+{ord(char):04X}" in p for p in said), said


def test_names_are_normalised_and_references_follow():
    # the state is written with the ﬁ ligature, every reference to it with plain letters
    text = SALES.replace("Qualify", "Qualified").replace("  - name: Qualified", "  - name: Qualiﬁed", 1)
    model = load_model_text(text).model
    assert "Qualified" in model.state_names and "Qualiﬁed" not in model.state_names
    assert validate(model).is_valid
    full_width = load_model_text(SALES.replace("name: Dana Ortiz", "name: Ｄａｎａ Ortiz", 1)).model
    assert full_width.team[0].name == "Dana Ortiz"
