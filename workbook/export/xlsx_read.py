"""Reading a workbook written by :mod:`workbook.export.xlsx` back into a model — also after Excel edits.

The reader finds each block by its title in column A (“Profile grades”, “ICP attributes”,
“Scenarios”…), so rows added or removed in Excel are fine. It reads what people type: numbers
typed in Excel, numbers typed as text, levels typed as 1 instead of "1", Yes/No, TRUE/FALSE.
A cell holding a formula is read through the value Excel last calculated for it. Every problem
names its sheet and cell (``Weight & test!B5: the weight must be a number, not “thirty”``) and
the reader raises :class:`WorkbookXlsxError` with all of them; it never returns half a model.
The computed columns (Profile %, Grade, State…) are ignored: the engine computes them.

An upload is capped before openpyxl reads it (which costs memory in proportion to the unpacked
XML, not the file): at most :data:`MAX_FILE_BYTES`, unpacking to at most :data:`MAX_UNPACKED_BYTES`
and not packed tighter than a zip bomb would be (the lead list's rule,
:data:`workbook.leads.reading.MAX_PACKING_RATIO`); no sheet may reach :data:`MAX_ROWS` rows (a
model's workbook has a few hundred).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import yaml
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet
from pydantic import ValidationError

from workbook.export.xlsx import COMPUTED, CR, SCENARIO_HEAD, SUMMARY, TEAM, THRESHOLDS, TITLES, WEIGHTS
from workbook.leads.reading import MAX_PACKING_RATIO
from workbook.model import ScoringModel

Location = tuple[str | int, ...]
_YES, _NO = {"yes", "true", "1", "x", "y"}, {"no", "false", "0", "n", ""}
MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 10_000


class WorkbookXlsxError(ValueError):
    """The workbook cannot be read as a model; ``problems`` says where and why, one line each."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("The Excel workbook cannot be imported:\n" + "\n".join(f"- {p}" for p in problems))


def check_size(data: bytes) -> None:
    """Refuse a file too large to be a model's workbook, or one that unpacks like a zip bomb."""
    if len(data) > MAX_FILE_BYTES:
        raise WorkbookXlsxError([f"the file has {len(data) / 1e6:,.1f} MB; a model's workbook has at most "
                                 f"{MAX_FILE_BYTES / 1e6:,.0f} MB"])
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise WorkbookXlsxError(["the file is not an Excel .xlsx workbook (it is not a zip archive)"]) from None
    if unpacked > MAX_UNPACKED_BYTES or (unpacked > MAX_PACKING_RATIO * len(data) and unpacked > 1024 * 1024):
        raise WorkbookXlsxError([f"the file unpacks to {unpacked / 1e6:,.1f} MB, {unpacked / max(len(data), 1):,.0f} "
                                 "times its size: that is not a model's workbook"])


class _Reader:
    def __init__(self, data: bytes):
        check_size(data)
        try:
            self.wb = load_workbook(io.BytesIO(data))
            self.cached = load_workbook(io.BytesIO(data), data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            raise WorkbookXlsxError([f"the file is not an Excel .xlsx workbook ({exc})"]) from None
        self.problems: list[str] = []
        self.where: dict[Location, str] = {}

    # -- cells --------------------------------------------------------------------------------
    def ref(self, ws: Worksheet, r: int, c: int) -> str:
        return f"{ws.title}!{get_column_letter(c)}{r}"

    def problem(self, ws: Worksheet, r: int, c: int, message: str) -> None:
        self.problems.append(f"{self.ref(ws, r, c)}: {message}")

    def raw(self, ws: Worksheet, r: int, c: int) -> Any:
        cell = ws.cell(row=r, column=c)
        value = cell.value
        if cell.data_type == "f":
            value = self.cached[ws.title].cell(row=r, column=c).value
            if value is None:
                self.problem(ws, r, c, "a formula without a calculated value; type the value itself")
        if isinstance(value, str):
            if not value.strip():
                return None
            return value.replace(CR, "\r")
        return value

    def text(self, ws: Worksheet, r: int, c: int) -> str | None:
        value = self.raw(ws, r, c)
        if value is None or isinstance(value, str):
            return value
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        if isinstance(value, dt.datetime | dt.date):
            return value.date().isoformat() if isinstance(value, dt.datetime) else value.isoformat()
        return str(value)

    def number(self, ws: Worksheet, r: int, c: int, what: str) -> float | None:
        value = self.raw(ws, r, c)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        try:
            return float(str(value).strip().replace("%", ""))
        except ValueError:
            self.problem(ws, r, c, f"{what} must be a number, not “{value}”")
            return None

    def flag(self, ws: Worksheet, r: int, c: int, what: str) -> bool:
        value = self.raw(ws, r, c)
        if isinstance(value, bool):
            return value
        text = "" if value is None else str(value).strip().lower()
        if text in _YES or text in _NO:
            return text in _YES
        self.problem(ws, r, c, f"{what} must be Yes or No, not “{value}”")
        return False

    def mapping(self, ws: Worksheet, r: int, c: int, what: str) -> dict[str, Any] | None:
        text = self.text(ws, r, c)
        if text is None:
            return None
        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError:
            data = None
        if not isinstance(data, dict):
            self.problem(ws, r, c, f"{what} must be written like {{key: value, …}}, not “{text}”")
            return None
        return data

    # -- blocks -------------------------------------------------------------------------------
    def sheet(self, name: str) -> Worksheet | None:
        if name in self.wb.sheetnames:
            ws = self.wb[name]
            if ws.max_row >= MAX_ROWS:
                self.problems.append(f"the “{name}” sheet has {ws.max_row:,} rows; a model's workbook has fewer "
                                     f"than {MAX_ROWS:,} (delete the rows below the model)")
                return None
            return ws
        self.problems.append(f"the workbook has no “{name}” sheet")
        return None

    def block(self, ws: Worksheet, key: str) -> int | None:
        """The row of a block's title in column A."""
        wanted = TITLES[key].lower()
        for r in range(1, ws.max_row + 1):
            value = ws.cell(row=r, column=1).value
            if isinstance(value, str) and value.strip().lower() == wanted:
                return r
        self.problems.append(f"{ws.title}: no “{TITLES[key]}” block (a row with “{TITLES[key]}” in column A)")
        return None

    def rows(self, ws: Worksheet, first: int) -> list[int]:
        """The filled rows from ``first`` down to the next block's title (or the end of the sheet).

        Empty rows are skipped rather than ending the block, so a row deleted in Excel leaves no
        half-read block behind; a row without a name in column A is reported.
        """
        titles = {t.lower() for t in TITLES.values()}
        out = []
        for r in range(first, ws.max_row + 1):
            first_cell = ws.cell(row=r, column=1).value
            if isinstance(first_cell, str) and first_cell.strip().lower() in titles:
                break
            cells = [ws.cell(row=r, column=c).value for c in range(1, ws.max_column + 1)]
            if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
                continue
            if self.raw(ws, r, 1) is None:
                self.problem(ws, r, 1, "this row has no name in column A")
                continue
            out.append(r)
        return out


# --------------------------------------------------------------------------------------------
def read_workbook_xlsx(data: bytes) -> ScoringModel:
    """The model in a workbook written by :func:`workbook.export.xlsx.workbook_bytes` (and edited since).

    Raises :class:`WorkbookXlsxError` listing every problem with its sheet and cell.
    """
    x = _Reader(data)
    model: dict[str, Any] = {"schema_version": 1}
    sheets = {name: x.sheet(name) for name in (TEAM, THRESHOLDS, WEIGHTS, SUMMARY)}
    if any(ws is None for ws in sheets.values()):
        raise WorkbookXlsxError(x.problems)
    _summary(x, sheets[SUMMARY], model)
    _team(x, sheets[TEAM], model)
    _thresholds(x, sheets[THRESHOLDS], model)
    _weights(x, sheets[WEIGHTS], model)
    if x.problems:
        raise WorkbookXlsxError(x.problems)
    try:
        return ScoringModel.model_validate(model)
    except ValidationError as exc:
        raise WorkbookXlsxError([_located(x.where, err) for err in exc.errors()]) from None


def _located(where: dict[Location, str], err: Any) -> str:
    loc = tuple(err["loc"])
    for n in range(len(loc), 0, -1):
        if loc[:n] in where:
            return f"{where[loc[:n]]}: {err['msg']}"
    return f"{'.'.join(str(p) for p in loc)}: {err['msg']}"


def _summary(x: _Reader, ws: Worksheet, model: dict[str, Any]) -> None:
    labels = {}
    for r in range(1, ws.max_row + 1):
        value = ws.cell(row=r, column=1).value
        if isinstance(value, str):
            labels.setdefault(value.strip().lower(), r)
    for label, key in (("name", "name"), ("description", "description")):
        if label in labels:
            model[key] = x.text(ws, labels[label], 2)
            x.where[(key,)] = x.ref(ws, labels[label], 2)
    if model.get("name") is None:
        x.problems.append(f"{ws.title}: the model has no name (a row “Name” with the name in column B)")
    if "schema version" in labels:
        version = x.number(ws, labels["schema version"], 2, "the schema version")
        model["schema_version"] = int(version) if version is not None else 1
    if "metadata (yaml)" in labels and x.text(ws, labels["metadata (yaml)"], 2) is not None:
        r = labels["metadata (yaml)"]
        try:
            model["metadata"] = yaml.safe_load(x.text(ws, r, 2) or "")
        except yaml.YAMLError:
            x.problem(ws, r, 2, "the metadata is not readable YAML")
        x.where[("metadata",)] = x.ref(ws, r, 2)


def _team(x: _Reader, ws: Worksheet, model: dict[str, Any]) -> None:
    team = []
    for i, r in enumerate(x.rows(ws, 2)):
        member = {"name": x.text(ws, r, 1), "title": x.text(ws, r, 2), "function": x.text(ws, r, 3),
                  "role": x.text(ws, r, 4), "steering_committee": x.flag(ws, r, 5, "Steering committee"),
                  "email": x.text(ws, r, 6)}
        team.append({k: v for k, v in member.items() if v is not None})
        x.where[("team", i)] = x.ref(ws, r, 1)
    model["team"] = team


def _bands(x: _Reader, ws: Worksheet, key: str, name: str) -> list[dict[str, Any]]:
    start = x.block(ws, key)
    if start is None:
        return []
    out = []
    section = "profile_grades" if key == "grades" else "engagement_levels"
    for i, r in enumerate(x.rows(ws, start + 2)):
        out.append({name: x.text(ws, r, 1), "min": x.number(ws, r, 2, "the minimum %")})
        x.where[(section, i)] = x.ref(ws, r, 1)
        x.where[(section, i, "min")] = x.ref(ws, r, 2)
    return out


def _thresholds(x: _Reader, ws: Worksheet, model: dict[str, Any]) -> None:
    model["profile_grades"] = _bands(x, ws, "grades", "grade")
    model["engagement_levels"] = _bands(x, ws, "levels", "level")
    matrix: dict[str, str] = {}
    start = x.block(ws, "grid")
    if start is not None:
        levels, c = [], 2
        while x.text(ws, start + 1, c) is not None:
            levels.append((c, x.text(ws, start + 1, c)))
            c += 1
        for r in x.rows(ws, start + 2):
            grade = x.text(ws, r, 1)
            for c, level in levels:
                state = x.text(ws, r, c)
                if state is not None:
                    matrix[f"{grade}{level}"] = state
                    x.where[("matrix", f"{grade}{level}")] = x.ref(ws, r, c)
    model["matrix"] = matrix
    states = []
    start = x.block(ws, "states")
    if start is not None:
        for i, r in enumerate(x.rows(ws, start + 2)):
            state = {"name": x.text(ws, r, 1), "action": x.text(ws, r, 2)}
            states.append({k: v for k, v in state.items() if v is not None})
            x.where[("states", i)] = x.ref(ws, r, 1)
    model["states"] = states
    start = x.block(ws, "settings")
    if start is not None:
        for r in x.rows(ws, start + 1):
            label = (x.text(ws, r, 1) or "").lower()
            if label == "missing values":
                model["missing"] = (x.text(ws, r, 2) or "zero").strip().lower()
                x.where[("missing",)] = x.ref(ws, r, 2)
            elif label == "knockout state":
                model["knockout_state"] = x.text(ws, r, 2)
                x.where[("knockout_state",)] = x.ref(ws, r, 2)


def _factors(x: _Reader, ws: Worksheet, key: str) -> list[dict[str, Any]]:
    start = x.block(ws, key)
    if start is None:
        return []
    factors: dict[str, dict[str, Any]] = {}
    weight_at: dict[str, str] = {}
    for r in x.rows(ws, start + 2):
        name = x.text(ws, r, 1) or ""
        f = factors.setdefault(name, {"name": name, "values": []})
        i = list(factors).index(name)
        x.where.setdefault((key, i), x.ref(ws, r, 1))
        before = len(x.problems)
        weight = x.number(ws, r, 2, "the weight")
        if len(x.problems) > before:
            f["weight"] = None  # reported already; not "has no weight" too
        elif weight is not None:
            if f.get("weight") is not None and f["weight"] != weight:
                x.problem(ws, r, 2, f"a second weight for “{name}” ({weight:g}; {weight_at[name]} says "
                                    f"{f['weight']:g}); give the weight once")
            f["weight"], weight_at[name] = weight, x.ref(ws, r, 2)
            x.where[(key, i, "weight")] = x.ref(ws, r, 2)
        column = x.text(ws, r, 3)
        if column is not None:
            f["column"] = column
        label = x.text(ws, r, 4)
        if label is None:
            continue
        j = len(f["values"])
        value: dict[str, Any] = {"label": label, "score": x.number(ws, r, 5, "the score"),
                                 "knockout": x.flag(ws, r, 6, "Knockout")}
        if value["score"] is None:
            x.problem(ws, r, 5, f"the score of “{label}” is empty")
        match = x.mapping(ws, r, 7, "the match rule")
        if match is not None:
            value["match"] = match
        f["values"].append(value)
        x.where[(key, i, "values", j)] = x.ref(ws, r, 4)
        x.where[(key, i, "values", j, "score")] = x.ref(ws, r, 5)
        x.where[(key, i, "values", j, "match")] = x.ref(ws, r, 7)
    for i, f in enumerate(factors.values()):
        if "weight" not in f:
            x.problems.append(f"{x.where[(key, i)]}: “{f['name']}” has no weight")
    return list(factors.values())


def _weights(x: _Reader, ws: Worksheet, model: dict[str, Any]) -> None:
    model["profile"] = _factors(x, ws, "profile")
    model["engagement"] = _factors(x, ws, "engagement")
    start = x.block(ws, "scenarios")
    if start is None:
        return
    h = start + 1
    profile_names = {f["name"] for f in model["profile"]}
    engagement_names = {f["name"] for f in model["engagement"]}
    columns: list[tuple[int, str, str]] = []
    c = len(SCENARIO_HEAD) + 1
    while (name := x.text(ws, h, c)) is not None and name != COMPUTED[0]:
        if name in profile_names:
            columns.append((c, "profile", name))
        elif name in engagement_names:
            columns.append((c, "engagement", name))
        else:
            x.problem(ws, h, c, f"“{name}” is neither an ICP attribute nor an activity of this workbook")
        c += 1
    scenarios = []
    for i, r in enumerate(x.rows(ws, h + 1)):
        s: dict[str, Any] = {"name": x.text(ws, r, 1), "profile": {}, "engagement": {}}
        x.where[("scenarios", i)] = x.ref(ws, r, 1)
        if (notes := x.text(ws, r, 2)) is not None:
            s["notes"] = notes
        estimate = {k: x.text(ws, r, c) for k, c in (("profile", 3), ("engagement", 4), ("state", 5))}
        if any(v is not None for v in estimate.values()):
            s["estimate"] = {k: v for k, v in estimate.items() if v is not None}
        members = x.mapping(ws, r, 6, "the estimates by member")
        if members is not None:
            s["estimates_by_member"] = {str(k): str(v) for k, v in members.items()}
        for c, section, name in columns:
            label = x.text(ws, r, c)
            if label is not None:
                s[section][name] = label
                x.where[("scenarios", i, section, name)] = x.ref(ws, r, c)
        scenarios.append(s)
    model["scenarios"] = scenarios
