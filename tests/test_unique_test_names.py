"""Every test file has a name of its own: pytest imports them by base name (no packages), and two
files of one name stop the whole suite from collecting."""

from __future__ import annotations

from collections import Counter
from pathlib import Path


def test_no_two_test_files_share_a_name():
    names = Counter(p.name for p in (Path(__file__).parent).rglob("test_*.py"))
    assert [n for n, c in names.items() if c > 1] == []
