"""Signals tell the truth: weights off 100 either way are red, full agreement is green, an invalid
model's results say they are provisional with a link to the place to fix (sidebar, unit level)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from workbook.engine import Agreement
from workbook.ui.sidebar import source_words
from workbook.ui.signals import PAGE_OF_TAB, agreement_signal, weight_signal


@pytest.mark.parametrize(("total", "words"), [(Decimal(105), "5 pts over 100"), (Decimal(95), "5 pts short of 100"),
                                              (Decimal(0), "100 pts short of 100")])
def test_weights_off_100_in_either_direction_are_an_error(total, words) -> None:
    assert weight_signal(total) == (words, "red")


def test_weights_that_add_up_are_good() -> None:
    assert weight_signal(Decimal("99.995")) == ("adds up to 100", "green")


def test_full_agreement_looks_good_and_disagreement_does_not() -> None:
    assert agreement_signal(Agreement(4, 0, 0), valid=True) == ("100 % agree", "green")
    assert agreement_signal(Agreement(3, 1, 0), valid=True)[1] == "orange"
    assert agreement_signal(Agreement(1, 3, 0), valid=True)[1] == "red"


def test_agreement_on_an_invalid_model_is_provisional() -> None:
    words, colour = agreement_signal(Agreement(4, 0, 0), valid=False)
    assert "provisional" in words and colour == "gray"


def test_every_fix_link_points_to_a_page_of_the_app() -> None:
    from tests.ui.conftest import ROOT
    for page in PAGE_OF_TAB.values():
        assert (ROOT / page).is_file(), page


def test_the_source_is_said_in_words(store, example) -> None:
    assert source_words("example:sales_automation.yaml") == "from the example sales automation"
    assert source_words("upload") == "from an uploaded file"
    assert source_words("duplicate:nosuchid@12") == "a copy of another workbook"


# --------------------------------------------------------------------------- the sidebar (AppTest)
def _sidebar_text(at) -> str:
    return "\n".join(str(e.value) for e in at.sidebar if hasattr(e, "value") and isinstance(e.value, str))


@pytest.mark.parametrize(("delta", "says"), [(5, "5 pts over 100"), (-5, "5 pts short of 100")])
def test_the_sidebar_shows_weights_off_100_as_an_error_and_the_results_as_provisional(
        open_page, example, delta, says) -> None:
    example.profile[0].weight += delta
    at = open_page("pages/team.py", example)
    metrics = {m.label: m for m in at.sidebar.get("metric")}
    icp = metrics["ICP weights"].proto
    assert icp.delta == says and icp.color == icp.MetricColor.RED
    assert metrics["Activity weights"].proto.color == icp.MetricColor.GREEN
    agreement = metrics["Scenario agreement"].proto
    assert "provisional" in agreement.delta and agreement.color == agreement.MetricColor.GRAY
    notes = [m.value.replace("\\", "") for m in at.sidebar.markdown if "Provisional" in m.value]
    assert len(notes) == 1 and "ICP weights: weights add up to" in notes[0]
    links = [p.proto for p in at.sidebar.get("page_link")]
    fix = "Fix it on the ICP weights tab"
    assert any(link.label == fix and link.page.endswith("icp_weights") for link in links), links


def test_the_sidebar_says_problems_in_words_and_counts_without_s(open_page, example) -> None:
    example.profile[1].values[0].score = 130
    at = open_page("pages/team.py", example)
    assert at.sidebar.error[0].value.startswith("Invalid: 1 error")
    problems = "\n".join(m.value for m in at.sidebar.markdown).replace("\\", "")
    assert f"ICP weights › attribute '{example.profile[1].name}'" in problems
    assert "profile[1]" not in problems and "(s)" not in _sidebar_text(at)


def test_a_valid_model_has_no_provisional_note_and_full_agreement_is_green(open_page, example) -> None:
    at = open_page("pages/team.py", example)
    assert not [m for m in at.sidebar.markdown if "Provisional" in m.value]
    metrics = {m.label: m.proto for m in at.sidebar.get("metric")}
    assert metrics["ICP weights"].color == metrics["ICP weights"].MetricColor.GREEN
