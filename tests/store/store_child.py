"""A separate process working on a store, for the crash and two-process tests.

    python store_child.py loop <db> <workbook>
        commit edits forever, printing "<revision> <tag>" after each commit returned
    python store_child.py edit <db> <workbook> <base> <author> <json>
        print "ready", wait for a line on stdin, commit one edit, print the outcome as JSON

``<json>`` is the keyword arguments of ``store_models.edited`` (tuples as lists).
"""

from __future__ import annotations

import json
import sys

from store_models import edited

from workbook.store import ConflictError, Store


def loop(db: str, workbook: str) -> None:
    store = Store(db)
    head = store.head(workbook)
    number, model = head.number, head.model
    start, i = number, 0
    while True:
        i += 1
        tag = f"{start}+{i}"  # start revision + edit counter: what the parent expects to find
        model = edited(model, description=f"edit {tag}", weight={"Job role": i % 100})
        number = store.commit(workbook, base_revision=number, new_model=model).revision
        print(number, tag, flush=True)  # the acknowledgement: after commit returned


def edit(db: str, workbook: str, base: str, author: str, changes: str) -> None:
    store = Store(db)
    kwargs = json.loads(changes)
    if "score" in kwargs:
        kwargs["score"] = {tuple(k.split("|")): v for k, v in kwargs["score"].items()}
    model = edited(store.model_at(workbook, int(base)), **kwargs)
    print("ready", flush=True)
    sys.stdin.readline()
    try:
        result = store.commit(workbook, base_revision=int(base), new_model=model, author=author)
    except ConflictError as exc:
        print(json.dumps({"conflict": str(exc), "theirs": [c.theirs for c in exc.conflicts]}), flush=True)
    else:
        print(json.dumps({"revision": result.revision}), flush=True)


if __name__ == "__main__":
    {"loop": loop, "edit": edit}[sys.argv[1]](*sys.argv[2:])
