"""Browser: a facilitator names a moment, the team edits (two quick clicks read as one change),
and the checkpoint is restored; screenshots at 1024 × 768."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import open_app, wait_for_app
from tests.e2e.hist_helpers import (
    EXAMPLE,
    SMALL,
    Server,
    T,
    assert_no_exception,
    expect_revision,
    go_to,
    keep_screenshots,
    keyed,
    main,
    sidebar,
    type_into,
    workbook_id,
)
from workbook.files import load_model_file
from workbook.store import Store

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(start_app, tmp_path_factory: pytest.TempPathFactory) -> Server:
    db = tmp_path_factory.mktemp("checkpoints-db") / "workbooks.db"
    return Server(start_app(EXAMPLE, env={"WORKBOOK_DB": str(db)}), db)


def test_a_checkpoint_restore(server: Server, page: Page, tmp_path: Path) -> None:
    original = load_model_file(EXAMPLE).model
    open_app(page, server.url)
    wid = workbook_id(page)
    type_into(page, "Your name (optional)", "Dana", within=sidebar(page))

    go_to(page, "History")
    type_into(page, "Name this moment", "kick-off")
    keyed(page, "history.checkpoint_save").get_by_role("button").click()
    wait_for_app(page)
    with Store(server.db) as store:
        assert [(c.name, c.revision) for c in store.checkpoints(wid)] == [("kick-off", 1)]

    # Two quick clicks on one weight, on the ICP weights tab.
    go_to(page, "ICP weights")
    weight = original.profile[0].weight
    for step, w in enumerate((weight + 1, weight + 2), start=2):
        field = page.locator(".st-key-profile_weight_0 input").first
        field.scroll_into_view_if_needed()
        field.fill(f"{w:g}")
        field.press("Enter")
        wait_for_app(page)
        expect_revision(page, step)
    assert_no_exception(page, "after the weight clicks")

    go_to(page, "History")
    name = original.profile[0].name
    since = main(page).get_by_text("Since 'kick-off'", exact=False).first
    expect(since).to_be_visible(timeout=T)
    expect(since).to_contain_text("1 change by Dana")
    folded = keyed(page, "history.section.0")
    expect(folded).to_be_visible(timeout=T)
    page.set_viewport_size(SMALL)  # how a laptop on the projector shows it
    wait_for_app(page)
    page.screenshot(path=str(tmp_path / "history-1024.png"), full_page=False)

    # Open the kick-off section and restore it.
    page.set_viewport_size({"width": 1400, "height": 1000})
    main(page).get_by_text("Up to 'kick-off'", exact=False).first.click()
    restore = keyed(page, "history.checkpoint_restore.1").get_by_role("button")
    expect(restore).to_be_visible(timeout=T)
    restore.click()
    wait_for_app(page)
    expect_revision(page, 4)
    assert_no_exception(page, "after the restore")
    with Store(server.db) as store:
        head = store.head(wid)
        entries = store.folded_entries(wid)
    assert head.kind == "restore" and head.model == original
    assert [(e.first, e.last) for e in entries][1] == (2, 3)
    assert entries[1].sentences == [f"ICP weight '{name}' {weight:g} → {weight + 2:g} (2 quick edits)"]
    page.set_viewport_size(SMALL)
    wait_for_app(page)
    page.screenshot(path=str(tmp_path / "history-restored-1024.png"), full_page=False)
    keep_screenshots(tmp_path)


def test_a_checkpoint_rename(server: Server, page: Page) -> None:
    open_app(page, server.url)
    wid = workbook_id(page)
    type_into(page, "Your name (optional)", "Sam", within=sidebar(page))
    go_to(page, "History")
    type_into(page, "Name this moment", "after workshop 1")
    keyed(page, "history.checkpoint_save").get_by_role("button").click()
    wait_for_app(page)
    main(page).get_by_role("button", name="Rename").first.click()
    page.get_by_role("textbox", name="New name").fill("after the pricing session")
    page.get_by_role("button", name="Rename the checkpoint").click()
    wait_for_app(page)
    expect(main(page).get_by_text("Renamed from 'after workshop 1' to 'after the pricing session' by Sam",
                                  exact=False).first).to_be_visible(timeout=T)
    assert_no_exception(page, "after the rename")
    with Store(server.db) as store:
        [mark] = [c for c in store.checkpoints(wid) if c.first_name == "after workshop 1"]
    assert mark.name == "after the pricing session" and mark.renames[0].author == "Sam"
