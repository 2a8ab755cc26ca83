"""The app on a damaged or read-only workbook database: a page in words, a way out, nothing lost (issue 12).

Each variant of tests/store/test_store_recovery.py, seen as a person sees it: the app opens
on a page that says what is wrong (no traceback), offers what can be done, and does it.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.store.store_models import base_model
from workbook.store import Store

ROOT = Path(__file__).resolve().parents[2]


def db() -> Path:
    return Path(os.environ["WORKBOOK_DB"])


def run_app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.run()
    assert not at.exception, at.exception
    return at


def shown(at: AppTest) -> str:
    parts = [e.value for e in (*at.error, *at.info, *at.success, *at.markdown, *at.text, *at.code)]
    return "\n".join(str(p) for p in parts)


def two_workbooks(revisions: int = 4) -> str:
    with Store(db()) as store:
        first = store.create(base_model())
        store.create(base_model().model_copy(update={"name": "Second model"}))
        for i in range(2, revisions + 1):
            store.commit(first.id, base_revision=i - 1,
                         new_model=base_model().model_copy(update={"description": f"take {i}"}))
    return first.id


def test_a_file_that_is_not_a_database_offers_a_fresh_start_and_keeps_the_file():
    db().write_bytes(b"not a database at all\n" * 100)
    at = run_app()
    assert "The workbook database needs attention" in [t.value for t in at.title]
    assert "damaged or not a database" in shown(at)
    assert [b.label for b in at.button] == ["Salvage what can be read"]
    at.button[0].click().run()
    assert "Salvaged 0 workbooks with 0 revisions" in shown(at)
    kept = [p for p in db().parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and kept[0].read_bytes().startswith(b"not a database")
    at.button[0].click().run()  # "Open the workshop"
    assert not at.exception and "Revision 1" in shown(at) + "".join(c.value for c in at.sidebar.caption)


def test_a_revision_edited_by_hand_is_salvaged_back_to_the_last_good_one():
    first = two_workbooks(4)
    conn = sqlite3.connect(db())
    conn.execute("DROP TRIGGER revisions_never_change")
    conn.execute("UPDATE revisions SET model = '{}' WHERE workbook_id = ? AND number = 4", (first,))
    conn.commit()
    conn.close()
    at = run_app()
    assert "revision 4 of “Workshop model”" in shown(at)
    salvage = next(b for b in at.button if b.label == "Salvage what can be read")
    salvage.click().run()
    assert "Salvaged 2 workbooks with 4 revisions" in shown(at) and "revision 4 of “Workshop model”" in shown(at)
    with Store(db()) as store:
        assert store.head(first).number == 3


def test_a_database_from_a_newer_app_says_upgrade_and_is_left_alone():
    two_workbooks(2)
    conn = sqlite3.connect(db())
    conn.execute("PRAGMA user_version = 7")
    conn.close()
    before = db().read_bytes()
    at = run_app()
    assert "upgrade the app" in shown(at) and not at.button
    assert db().read_bytes() == before


def test_a_read_only_database_shows_the_workshop_and_refuses_edits_in_words(monkeypatch):
    first = two_workbooks(3)
    import workbook.store.database as database

    real, path = database.os.access, db()
    monkeypatch.setattr(database.os, "access", lambda p, mode: False if Path(p) == path else real(p, mode))
    before = path.read_bytes()
    at = run_app()
    assert "open **read-only**" in shown(at)
    at.switch_page("pages/icp_weights.py").run()
    assert not at.exception
    weight = at.number_input[0]  # the first attribute card's weight
    weight.set_value(float(weight.value) + 5).run()
    assert not at.exception
    refusals = [e.value for e in (*at.error, *at.warning)]
    assert any("nothing can be changed or saved" in r for r in refusals), refusals
    assert path.read_bytes() == before
    with Store(path, read_only=True) as store:
        assert store.head(first).model.name == "Workshop model"
