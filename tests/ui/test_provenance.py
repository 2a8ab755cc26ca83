"""The pure helpers of the Workbooks, History and Review pages, and reading a model file (no page run)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from workbook.ui import actions, provenance
from workbook.ui.actions import Change, RevisionInfo

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
NOW = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
BERLIN = ZoneInfo("Europe/Berlin")


@pytest.mark.parametrize(
    ("at", "text"),
    [
        (datetime(2026, 3, 5, 9, 7, tzinfo=UTC), "today 10:07"),  # Berlin is UTC+1 in March
        (datetime(2026, 3, 4, 22, 30, tzinfo=UTC), "yesterday 23:30"),
        (datetime(2026, 3, 4, 23, 30, tzinfo=UTC), "today 00:30"),  # already the 5th in Berlin
        (datetime(2026, 1, 28, 15, 0, tzinfo=UTC), "28 Jan, 16:00"),
        (datetime(2025, 11, 2, 8, 0, tzinfo=UTC), "2 Nov 2025, 09:00"),
    ],
)
def test_when_text_is_local_and_readable(at, text):
    assert provenance.when_text(at, BERLIN, NOW) == text


def test_local_zone_by_name_else_offset():
    assert provenance.local_zone("Europe/Berlin") == BERLIN
    # JavaScript's getTimezoneOffset: minutes behind UTC (-60 is UTC+1)
    assert provenance.local_zone("Not/AZone", -60).utcoffset(None) == timedelta(hours=1)
    assert provenance.local_zone(None, None) is None


def test_source_text():
    names = {"abc123": "FY27 model"}
    assert provenance.source_text("blank") == "Blank"
    assert provenance.source_text("upload") == "Uploaded file"
    assert provenance.source_text("example:x_education.yaml") == "Example x_education.yaml"
    assert provenance.source_text("duplicate:abc123@7", names) == "Copy of 'FY27 model' (revision 7)"
    assert provenance.source_text("duplicate:gone@2") == "Copy of 'gone' (revision 2)"


def test_share_link_points_at_the_app_not_the_page():
    assert provenance.share_link(None, "K3k6") == "?wb=K3k6"
    assert provenance.share_link("http://h:8501/workbooks", "K3k6", "workbooks") == "http://h:8501/?wb=K3k6"
    assert provenance.share_link("https://h/apps/lsw/workbooks/", "K3k6", "workbooks") == "https://h/apps/lsw/?wb=K3k6"
    assert provenance.share_link("http://h:8501", "K3k6", "workbooks") == "http://h:8501/?wb=K3k6"


def test_copy_name_is_not_taken():
    assert provenance.copy_name("FY27", ["FY27"]) == "FY27 (copy)"
    assert provenance.copy_name("FY27", ["FY27", "FY27 (copy)", "FY27 (copy 2)"]) == "FY27 (copy 3)"


def _info(number, kind="edit", source=None, summary=("x",), author=None, rc=False):
    return RevisionInfo(number, NOW, author, list(summary), kind, rc, source)


def _history(*kinds):
    """Revisions newest first from (kind, source) pairs given oldest first."""
    return [_info(i + 1, kind, source) for i, (kind, source) in reversed(list(enumerate(kinds)))]


def test_undo_target_follows_the_store_rule():
    assert provenance.undo_target(_history(("create", None))) is None
    assert provenance.undo_target(_history(("create", None), *[("edit", None)] * 4)) == 5
    # r5 edit, r6 undo of r5: the next undo takes back r4
    assert provenance.undo_target(_history(("create", None), *[("edit", None)] * 4, ("undo", 5))) == 4
    # r2 edit, r3 undo of r2: back at the first revision
    assert provenance.undo_target(_history(("create", None), ("edit", None), ("undo", 2))) is None
    # A, B, undo B, C, undo C → the next undo takes back A (r2), never B again
    chain = _history(("create", None), ("edit", None), ("edit", None), ("undo", 3), ("edit", None), ("undo", 5))
    assert provenance.undo_target(chain) == 2


def test_revision_words():
    assert provenance.revision_kind_text(_info(7, "restore", source=3)) == "Restore of revision 3"
    assert provenance.revision_kind_text(_info(8, "merge")) == "Edit (merged with others' changes)"
    label = provenance.revision_label(_info(4, summary=("A", "B", "C"), author="Sam", rc=True), BERLIN, NOW)
    assert label == "4 · today 13:00 · Sam · A (+2 more) · release candidate"


def test_changes_are_grouped_in_a_fixed_order():
    def change(kind):
        return Change(kind, "p", 1, 2, "s")

    groups = provenance.group_changes([change("cell"), change("weight"), change("cell"), change("scenario")])
    assert [(g.title, len(g.changes)) for g in groups] == [("Weights", 1), ("Grid cells", 2), ("Scenarios", 1)]


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.iterdir() if p.name != "expected.yaml"), ids=str)
def test_reading_an_upload_never_raises(path):
    file = actions.read_model_file(path.name, path.read_bytes(), 1024 * 1024)
    assert (file.model is None) == bool(file.errors)


def test_an_upload_over_the_cap_is_refused():
    file = actions.read_model_file("big.yaml", b"x" * 2048, 1024)
    assert file.model is None and "too large" in file.errors[0]


def test_history_and_the_exported_approvals_use_the_one_list_of_how_words(tmp_path):
    """History's "Identified by" and the final YAML's approvals say it in the same words
    (workbook.store.access.HOW_WORDS); History adds that a typed or no name means an open workbook."""
    from workbook.files import dump_model, load_model_text
    from workbook.store import Store
    from workbook.store.access import HOW_WORDS
    from workbook.store.review import steering_committee

    for how, words in HOW_WORDS.items():
        shown = provenance.identified_text(how)
        if how in ("typed", "none"):
            assert shown == f"{words} (open workbook)"
        else:
            assert shown == words
    assert provenance.identified_text(None) == "not recorded"
    assert provenance.who_and_how("Priya Nair", "invite") == "Priya Nair (invite link)"
    assert provenance.who_and_how(None, "none") == "Anonymous (no name given (open workbook))"

    example = load_model_text((CORPUS.parents[1] / "scenarios" / "sales_automation.yaml").read_text()).model
    with Store(tmp_path / "w.db") as store:
        wid = store.create(example, source="upload").id
        store.mark_release_candidate(wid, 1)
        members = steering_committee(example)[:3]
        assert len(members) == 3
        for member, how in zip(members, ("invite", "oidc", "typed"), strict=True):
            store.review(wid, 1, member, "approved", identified_by=how)
        final = load_model_text(dump_model(store.final_export_model(wid, 1))).model
    exported = {a.member: a.identified_by for a in final.metadata.approvals}
    assert exported == {m: HOW_WORDS[h] for m, h in zip(members, ("invite", "oidc", "typed"), strict=True)}
