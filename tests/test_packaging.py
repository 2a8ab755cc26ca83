"""Tests that keep the setup honest: pinned requirements, a CI script that runs, Makefile
targets that exist and run what they say, README commands that work, browser tests kept
out of the default run, and no machine-specific paths in the repository."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parents[1]

PINNED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.+!-]+(\s*;.+)?$")


def requirement_lines(name: str) -> list[str]:
    lines = []
    for raw in (REPO / name).read_text().splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def package_name(requirement: str) -> str:
    return re.split(r"[\[=<>!~;\s]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def git_ls_files() -> list[str]:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True, check=False)
    if result.returncode != 0:
        pytest.skip(f"not a git work tree: {result.stderr.decode().strip()}")
    return [name for name in result.stdout.decode().split("\0") if name]


# ------------------------------------------------------------------ requirements


def test_every_runtime_requirement_is_pinned_with_double_equals():
    lines = requirement_lines("requirements.txt")
    assert lines, "requirements.txt lists no package"
    unpinned = [line for line in lines if not PINNED.match(line)]
    assert not unpinned, f"requirements.txt lines not pinned with '==': {unpinned}"


def test_test_requirements_include_runtime_requirements_and_are_pinned():
    lines = requirement_lines("requirements-test.txt")
    assert "-r requirements.txt" in lines, "requirements-test.txt must include '-r requirements.txt'"
    packages = [line for line in lines if not line.startswith("-r ")]
    unpinned = [line for line in packages if not PINNED.match(line)]
    assert not unpinned, f"requirements-test.txt lines not pinned with '==': {unpinned}"


def test_no_package_is_pinned_twice():
    runtime = [package_name(line) for line in requirement_lines("requirements.txt")]
    test_only = [
        package_name(line)
        for line in requirement_lines("requirements-test.txt")
        if not line.startswith("-r ")
    ]
    everything = runtime + test_only
    duplicates = sorted({name for name in everything if everything.count(name) > 1})
    assert not duplicates, f"pinned more than once: {duplicates}"


# ------------------------------------------------------------------ CI and Makefile


def test_ci_script_is_valid_bash_and_runs_make_test():
    script = REPO / ".ci" / "run"
    text = script.read_text()
    assert "set -euo pipefail" in text
    assert re.search(r"^\s*make test\b", text, re.M), ".ci/run must call `make test`"
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def run_make(*args: str) -> subprocess.CompletedProcess:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    return subprocess.run(["make", *args], cwd=REPO, capture_output=True, text=True, check=False)


def make_knows(target: str) -> bool:
    """Whether ``make`` has the target; ``-n`` prints its commands without running them."""
    return run_make("-n", "--always-make", target).returncode == 0


def test_every_target_make_help_documents_exists():
    result = run_make("help")
    assert result.returncode == 0, result.stderr
    documented = re.findall(r"^make (\w+)", result.stdout, re.M)
    assert documented, result.stdout
    missing = [t for t in documented if not make_knows(t)]
    assert not missing, f"make help documents targets that make does not know: {missing}"


@pytest.mark.skipif(shutil.which("make") is None, reason="make is not installed")
@pytest.mark.parametrize(
    ("target", "expected"),
    [("test", "-m pytest"), ("run", "-m streamlit run serve.py"), ("lint", "-m ruff check")],
)
def test_make_targets_run_the_expected_commands(target, expected):
    # -n prints the commands without running them; --always-make prints the install steps too.
    result = subprocess.run(
        ["make", "-n", "--always-make", target], cwd=REPO, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert expected in result.stdout
    assert "pip --disable-pip-version-check install -r requirements" in result.stdout


# ------------------------------------------------------------------ repository hygiene


def test_no_tracked_file_contains_a_machine_specific_path():
    # Built from parts so that this file does not match itself.
    needles = [b"/" + b"work" + b"/", b"/" + b"root" + b"/"]
    offenders = []
    for name in git_ls_files():
        path = REPO / name
        if not path.is_file():  # deleted in the work tree, or a submodule
            continue
        data = path.read_bytes()
        offenders += [f"{name}: {needle.decode()}" for needle in needles if needle in data]
    assert not offenders, f"machine-specific paths in tracked files: {offenders}"


def test_virtualenv_is_ignored_by_git():
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    result = subprocess.run(["git", "check-ignore", "-q", ".venv/"], cwd=REPO, check=False)
    assert result.returncode == 0, ".venv/ must be listed in .gitignore"


def test_every_make_command_in_the_readme_is_a_target():
    text = (REPO / "README.md").read_text()
    setup = text.split("## Setup", 1)[1].split("\n## ", 1)[0]
    commands = re.findall(r"^make (\w+)", setup, re.M)
    assert commands, "README's Setup section gives no make command"
    unknown = [t for t in commands if not make_knows(t)]
    assert not unknown, f"README's Setup names make targets that do not exist: {unknown}"


# ------------------------------------------------------------------ pytest configuration


def test_every_browser_test_is_marked_e2e():
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider", "-m", "not e2e",
         "tests/e2e"],
        cwd=REPO, capture_output=True, text=True, check=False,
    )  # fmt: skip
    # Exit code 5: nothing left to run once e2e tests are deselected.
    assert result.returncode == 5, result.stdout + result.stderr
    assert "deselected" in result.stdout


def test_hypothesis_has_no_deadline_and_is_reproducible_under_ci():
    assert settings().deadline is None
    if os.environ.get("CI") == "true" and "HYPOTHESIS_PROFILE" not in os.environ:
        assert settings().derandomize
