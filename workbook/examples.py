"""The example workbooks shipped in ``scenarios/``."""

from __future__ import annotations

from pathlib import Path

EXAMPLES_DIR = Path(__file__).resolve().parent.parent / "scenarios"
DEFAULT_EXAMPLE = "sales_automation.yaml"


def list_examples() -> list[Path]:
    """Every example model file, by name."""
    return sorted(EXAMPLES_DIR.glob("*.yaml"))


def example_path(name: str | None = None) -> Path:
    """The path of an example by file name (default: the sales-automation workbook)."""
    return EXAMPLES_DIR / (name or DEFAULT_EXAMPLE)
