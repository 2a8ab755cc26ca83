"""Every action of the app against every kind of person (issue 13): the table, as tested.

The table below is written out by hand, one row per action of ``workbook.store.access.RULES``
and one column per kind of person; the test compares :func:`can` with it cell by cell. It is
the table the issue's note shows, so a change of a rule has to change this table too.

Columns (the workbook is claimed by its facilitator Sam Lee, whose steering committee is Dana
Ortiz and Marcus Lee, unless the column says "open"):

- ``facilitator``: Sam Lee through his personal link;
- ``participant``: Priya Raman through her invite link, participants' edits off;
- ``participant_may_edit``: the same, with "Participants may edit the tabs" on;
- ``steering``: Dana Ortiz (on the committee) through her invite link, edits off;
- ``viewer``: the read-only link;
- ``plain_address``: the address without a link, with or without a typed name;
- ``open``: anyone (a typed name) on a workbook nobody has claimed yet.

"approve" is asked in the person's own name; on the open workbook for a committee member's
name picked from the list (recorded as a typed name, unverified).
"""

from __future__ import annotations

import pytest

from workbook.store.access import ANONYMOUS, RULES, Identity, WorkbookAccess, can, refusal

Y, N = True, False
COLUMNS = ("facilitator", "participant", "participant_may_edit", "steering", "viewer", "plain_address", "open")
TABLE: dict[str, tuple[bool, ...]] = {
    #                          fac. part. part+edit steer. viewer plain open
    "view":                   (Y,   Y,    Y,        Y,     Y,     Y,    Y),
    "create":                 (Y,   Y,    Y,        Y,     Y,     Y,    Y),
    "duplicate":              (Y,   Y,    Y,        Y,     N,     N,    Y),
    "edit":                   (Y,   N,    Y,        N,     N,     N,    Y),
    "undo":                   (Y,   N,    Y,        N,     N,     N,    Y),
    "restore":                (Y,   N,    N,        N,     N,     N,    Y),
    "rename":                 (Y,   N,    N,        N,     N,     N,    Y),
    "archive":                (Y,   N,    N,        N,     N,     N,    Y),
    "mark_release_candidate": (Y,   N,    N,        N,     N,     N,    Y),
    "approve":                (N,   N,    N,        Y,     N,     N,    Y),
    "vote":                   (Y,   Y,    Y,        Y,     N,     N,    Y),
    "comment":                (Y,   Y,    Y,        Y,     N,     N,    Y),
    "checkpoint":             (Y,   N,    N,        N,     N,     N,    Y),
    "manage_access":          (Y,   N,    N,        N,     N,     N,    Y),
    "run_room":               (Y,   N,    N,        N,     N,     N,    Y),
}  # fmt: skip

COMMITTEE = ("Dana Ortiz", "Marcus Lee")
CLAIMED = WorkbookAccess(claimed=True, participants_may_edit=False, facilitators=("Sam Lee",), committee=COMMITTEE)
EDITS_ON = WorkbookAccess(claimed=True, participants_may_edit=True, facilitators=("Sam Lee",), committee=COMMITTEE)
OPEN = WorkbookAccess(committee=COMMITTEE)

# column → the people it stands for, each (identity, workbook, member an approval is for)
PEOPLE: dict[str, list[tuple[Identity, WorkbookAccess, str | None]]] = {
    "facilitator": [
        (Identity("Sam Lee", "invite", "facilitator"), CLAIMED, None),
        (Identity("Sam Lee", "oidc", "facilitator", "sam@example.com"), CLAIMED, None),
    ],
    "participant": [
        (Identity("Priya Raman", "invite", "participant"), CLAIMED, None),
        (Identity("Priya Raman", "oidc", "participant", "priya@example.com"), CLAIMED, None),
    ],
    "participant_may_edit": [(Identity("Priya Raman", "invite", "participant"), EDITS_ON, None)],
    "steering": [
        (Identity("Dana Ortiz", "invite", "steering"), CLAIMED, None),
        (Identity("Dana Ortiz", "oidc", "steering", "dana@example.com"), CLAIMED, None),
    ],
    "viewer": [(Identity(None, "invite", "viewer"), CLAIMED, None)],
    "plain_address": [
        (ANONYMOUS, CLAIMED, None),
        (Identity("Ann Example", "typed"), CLAIMED, None),
        (Identity("Dana Ortiz", "typed"), CLAIMED, None),  # a committee member's name, typed: not her
    ],
    "open": [
        (ANONYMOUS, OPEN, "Dana Ortiz"),
        (Identity("Ann Example", "typed"), OPEN, "Marcus Lee"),
    ],
}


def test_the_table_has_every_action_and_every_kind_of_person():
    assert set(TABLE) == set(RULES)
    assert set(PEOPLE) == set(COLUMNS)
    assert all(len(row) == len(COLUMNS) for row in TABLE.values())


@pytest.mark.parametrize("column", COLUMNS)
@pytest.mark.parametrize("action", sorted(TABLE))
def test_every_action_for_every_kind_of_person(action, column):
    expected = TABLE[action][COLUMNS.index(column)]
    for who, workbook, member in PEOPLE[column]:
        for_member = member if action == "approve" else None
        assert can(who, action, workbook, for_member) is expected, (action, column, who)
        words = refusal(who, action, workbook, for_member)
        # A refusal is always said in words, never a bare "no"; an allowed action has none.
        assert (words is None) is expected
        if words is not None:
            assert len(words) > 30 and words.endswith("."), words


@pytest.mark.parametrize("action", sorted(a for a, row in TABLE.items() if not row[COLUMNS.index("viewer")]))
def test_a_refusal_says_who_can(action):
    words = refusal(Identity(None, "invite", "viewer"), action, CLAIMED)
    assert words is not None
    if action == "approve":
        assert "steering-committee member" in words
    else:
        assert "the facilitator (Sam Lee)" in words


def table_in_markdown() -> str:
    """The table as the issue's note shows it (``python -m tests.store.test_access_matrix``)."""
    head = "| action | " + " | ".join(c.replace("_", " ") for c in COLUMNS) + " |"
    rule = "|---" * (len(COLUMNS) + 1) + "|"
    rows = [f"| {a} | " + " | ".join("yes" if v else "–" for v in row) + " |" for a, row in TABLE.items()]
    return "\n".join([head, rule, *rows])


if __name__ == "__main__":
    print(table_in_markdown())
