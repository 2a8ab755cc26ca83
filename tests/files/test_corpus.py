"""Malformed model files: the CLI names the problem clearly, with the right exit code, and
never shows a traceback. Plus fuzzing of the loader and validator with broken texts."""

from __future__ import annotations

import random
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import yaml
from builders import CORPUS, REPO, VALID_YAML
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.engine import evaluate_scenarios
from workbook.files import ModelFileError, ModelInvalid, dump_model, load_model_text
from workbook.validate import validate

EXPECTED: dict[str, dict] = yaml.safe_load((CORPUS / "expected.yaml").read_text(encoding="utf-8"))
CORPUS_FILES = sorted(p.name for p in CORPUS.iterdir() if p.name != "expected.yaml")


def check_process(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "workbook", "check", str(path)],
        cwd=REPO, capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120,
    )


@pytest.fixture(scope="module")
def corpus_runs() -> dict[str, subprocess.CompletedProcess[str]]:
    """Every corpus file checked by a real process, a few at a time (start-up dominates)."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return dict(zip(CORPUS_FILES, pool.map(lambda n: check_process(CORPUS / n), CORPUS_FILES), strict=True))


def test_corpus_is_large_and_fully_described():
    assert len(CORPUS_FILES) >= 25
    assert sorted(EXPECTED) == CORPUS_FILES
    for name, entry in EXPECTED.items():
        assert entry["exit"] in (1, 2), name
        assert entry["output"].strip(), name


def corpus_params():
    for name in CORPUS_FILES:
        entry = EXPECTED.get(name, {})
        marks = [pytest.mark.xfail(strict=True, reason=entry["xfail"])] if "xfail" in entry else []
        yield pytest.param(name, marks=marks, id=name)


@pytest.mark.parametrize("name", list(corpus_params()))
def test_corpus_file(name, corpus_runs):
    entry = EXPECTED[name]
    proc = corpus_runs[name]
    output = proc.stdout + proc.stderr
    assert "Traceback" not in output, output[-2000:]
    assert proc.returncode == entry["exit"], output[-2000:]
    assert entry["output"] in output, output[-2000:]


def test_python_tag_in_corpus_was_not_executed(corpus_runs):
    assert corpus_runs["python_tag.yaml"].returncode == 2
    assert "pwned" not in corpus_runs["python_tag.yaml"].stdout


# --------------------------------------------------------------------------------------------
# Fuzzing: only ModelFileError or ModelInvalid may escape the loader
# --------------------------------------------------------------------------------------------
def exercise(text: str | bytes) -> None:
    """Load, then validate, score and dump whatever loads: only the two model errors may escape."""
    try:
        loaded = load_model_text(text)
    except (ModelFileError, ModelInvalid) as exc:
        assert str(exc)  # a message for people, never empty
        return
    report = validate(loaded.model, loaded.lines)
    for problem in report.problems:
        assert str(problem).startswith(problem.location + ": ")
    evaluate_scenarios(loaded.model)  # a draft is still scored
    load_model_text(dump_model(loaded.model))  # and can be saved and read back


LINES = VALID_YAML.splitlines(keepends=True)
junk_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc"))
    | st.sampled_from(list(":-[]{}#&*!|>'\"%@`,? \n\t")),
    max_size=12,
)
numbers = st.sampled_from(["0", "-1", "100", "101", "-100.5", "1e400", "1.0e+400", ".nan", "-.inf", "0x1F",
                           "1_000", "99.995", "12:30", "007", "3.", "-0", "1" * 40, "true", "~", "''"])


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["delete", "duplicate", "swap", "number", "junk_key", "insert", "truncate",
                                     "indent"]))
        i = draw(st.integers(0, len(lines) - 1)) if lines else 0
        if not lines:
            break
        if kind == "delete":
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            line = lines[i]
            if len(line) > 2:
                j = draw(st.integers(0, len(line) - 2))
                lines[i] = line[:j] + line[j + 1] + line[j] + line[j + 2:]
        elif kind == "number":
            lines[i] = re.sub(r"-?\d+(\.\d+)?", draw(numbers), lines[i], count=1)
        elif kind == "junk_key":
            indent = len(lines[i]) - len(lines[i].lstrip(" -"))
            key = draw(st.sampled_from(["wieght", "lable", "scroe", "junk", "name", "min", "values", "estimate"]))
            lines.insert(i, " " * indent + f"{key}: {draw(junk_text)}\n")
        elif kind == "insert":
            j = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:j] + draw(junk_text) + lines[i][j:]
        elif kind == "truncate":
            lines = lines[:i]
        else:  # indent
            lines[i] = draw(st.sampled_from(["", " ", "  ", "\t", "      "])) + lines[i].lstrip(" ")
    return "".join(lines)


FUZZ = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.filter_too_much])


@FUZZ
@given(mutated_texts())
def test_fuzz_mutated_model_texts(text):
    exercise(text)


@FUZZ
@given(st.binary(max_size=300))
def test_fuzz_random_bytes(raw):
    exercise(raw)


@FUZZ
@given(st.text(alphabet=st.sampled_from(list("abc:-[]{}#&*!|>'\"%@`,? \n\t0123456789.")), max_size=120))
def test_fuzz_yaml_punctuation_soup(text):
    exercise(text)


@FUZZ
@given(st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.floats(allow_nan=True) | st.text(max_size=5),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(
        st.sampled_from(["schema_version", "name", "states", "profile", "engagement", "matrix", "weight",
                         "values", "label", "score", "scenarios", "x"]), children, max_size=5),
    max_leaves=30,
))
def test_fuzz_random_yaml_structures(data):
    text = yaml.safe_dump({"schema_version": 1, "name": "fuzz", "payload": data} if not isinstance(data, dict)
                          else data, allow_unicode=True)
    exercise(text)


def mutated_file(seed: int, tmp: Path) -> Path:
    """A deterministic, heavily mutated copy of the reference model."""
    rng = random.Random(seed)
    lines = list(LINES)
    for _ in range(6):
        i = rng.randrange(len(lines))
        op = rng.choice(["delete", "dup", "junk", "num", "swap"])
        if op == "delete":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "junk":
            lines.insert(i, " " * rng.choice([0, 2, 4, 6]) + rng.choice(["wieght: 3\n", "- junk\n", "x: [\n", "&a\n"]))
        elif op == "num":
            lines[i] = re.sub(r"\d+", str(rng.choice([-5, 150, 10**20, 0])), lines[i], count=1)
        else:
            s = lines[i]
            if len(s) > 3:
                j = rng.randrange(len(s) - 2)
                lines[i] = s[:j] + s[j + 1] + s[j] + s[j + 2:]
    path = tmp / f"mutated_{seed}.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    return path


def test_cli_on_mutated_files_never_shows_a_traceback(tmp_path):
    paths = [mutated_file(seed, tmp_path) for seed in range(6)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        procs = list(pool.map(check_process, paths))
    for path, proc in zip(paths, procs, strict=True):
        output = proc.stdout + proc.stderr
        assert "Traceback" not in output, (path.read_text(), output)
        assert proc.returncode in (0, 1, 2)
        if proc.returncode == 2:
            assert "cannot read the model file" in proc.stderr
        if proc.returncode == 1:
            assert re.search(r"^\s*(error: )?[\w\[\]. -]+: .+", output, re.M)
