"""Turn mutmut's results (mutants/**/*.meta) into results/mutants/report.md.

Run from the project root after ``mutmut run`` (``make mutants`` does both). The
report gives the mutation score over model/ and over the claims rules
(experiments/claims/verdicts.py and robustness.py), per file, and lists every
surviving mutant with its diff. Survivors judged equivalent (by hand, in
tools/equivalent_mutants.tsv, or of a kind in `EQUIVALENT_KINDS`) are marked with the
reason, and the score is also given without them (docs/testing.md, "Mutation testing").

Score = killed / (killed + survived + no tests + timeout-free others), i.e. every
mutant that was checked and is not a timeout-kill counts against the suite unless a
test failed on it; timeouts count as killed (mutmut's convention); mutants not
checked yet are reported but left out of the score.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "results" / "mutants" / "report.md"
AREAS = {"model": "model/", "claims rules": "experiments/claims/"}

KILLED = {1, 3}
TIMEOUT = {36, 24, -24, 152, 255}
SURVIVED = {0}
NO_TESTS = {5, 33}
NOT_CHECKED = {None, 2}
SKIPPED = {34}

UNTESTABLE = "untestable:"
"""Prefix of a hand-judged reason for a survivor that is not equivalent but cannot be reached
by a test (a graph too large to build); the report lists these apart."""
EQUIVALENT_FILE = ROOT / "tools" / "equivalent_mutants.tsv"
"""One line per mutant judged equivalent by hand: name, a tab, why it cannot change behaviour
(lines starting with # are comments); docs/testing.md groups them by reason."""


def _judged(path: Path = EQUIVALENT_FILE) -> dict[str, str]:
    """Mutant name -> reason, from the hand-judged list."""
    out = {}
    for line in path.read_text().splitlines() if path.exists() else []:
        if line.strip() and not line.startswith("#"):
            name, reason = line.split("\t", 1)
            out[name.strip()] = reason.strip()
    return out


EQUIVALENT: dict[str, str] = _judged()
"""Mutant name -> why it cannot change behaviour (kept in step with docs/testing.md)."""

EQUIVALENT_KINDS: tuple[tuple[str, str], ...] = (
    (r"sort=", "the order of groups: the data are already in that order, or it is the default"),
    (r"np\.errstate|simplefilter", "which floating-point or library warnings are shown"),
    (r"np\.full\(.*dtype", "the array's dtype: its values are copied into an int64 array"),
)
"""(regular expression on a changed line, reason): kinds of mutants that cannot change
behaviour; a survivor whose removed and added lines all match is marked equivalent."""

REPORTING = r"role=|\"(primary|report|also)\"|reason|texts\.append|Decision\(|_per_1000_people"
"""Changed lines of a claims rule that set what the analysis records (an estimate's role, a
reason sentence) rather than the verdict; such survivors are guarded only by the slow
end-to-end test, which mutmut does not run. They are flagged, not counted as equivalent."""

CONTINUOUS = "a continuous random draw compared strictly or not: equal with probability 0"
TOLERANCE = "strictness at a floating-point tolerance: differs only for an error exactly at it"
DEFAULT_INT = (
    "numpy's default integer is int64 on the 64-bit platforms the model runs on, so an explicit"
    " int64 gives the same array"
)
_INT_CALL = re.compile(r"np\.arange\(|\.integers\(|np\.full\([^,]+, -?\d+,")


def _default_int_only(removed: str, added: str) -> bool:
    """Whether `added` only drops (or sets to None) an int64 dtype numpy would default to."""
    if "dtype=np.int64" not in removed or not _INT_CALL.search(removed):
        return False
    return added in (
        removed.replace("dtype=np.int64", "dtype=None"),
        removed.replace("dtype=np.int64", ""),
    )


def _only_strictness(removed: str, added: str) -> bool:
    """Whether two lines differ only in < / <= (or > / >=)."""

    def loose(line: str) -> str:
        return line.replace("<=", "<").replace(">=", ">")

    return removed != added and loose(removed) == loose(added)


def _tolerance_strictness(removed: str, added: str) -> bool:
    """Whether two lines differ only in > / >= (or < / <=) against a floating-point tolerance."""
    return bool(re.search(r"rtol|1e-\d+", removed)) and _only_strictness(removed, added)


def _strictness_only(removed: str, added: str) -> bool:
    """Whether two lines differ only in < / <= (or > / >=) on a continuous random draw."""
    draw = "rng.random(" in removed or "hazard[adopted]" in removed
    return draw and _only_strictness(removed, added)


def _without_role(line: str) -> str:
    """A line with an estimate's role argument taken out (`role=...`, a role name, None)."""
    line = re.sub(r"role=[^,)]*|\"(XX)?(primary|report|also|PRIMARY|REPORT|ALSO)(XX)?\"", "", line)
    return re.sub(r"[\s,]*(None)?[\s,]*\)", ")", line)


def reporting_only(text: str) -> bool:
    """Whether every changed line of a mutant (its diff) is about what is recorded or said."""
    lines = [line for line in text.splitlines() if line[:3] not in ("+++", "---")]
    removed = [line[1:] for line in lines if line.startswith("-")]
    added = [line[1:] for line in lines if line.startswith("+")]
    if len(removed) == len(added) == 1 and _without_role(removed[0]) == _without_role(added[0]):
        return True
    changed = removed + added
    return bool(changed) and all(re.search(REPORTING, line) for line in changed)


def equivalent_kind(text: str) -> str:
    """The reason a mutant (its diff) is equivalent, or "" when it is not of a known kind."""
    lines = [line for line in text.splitlines() if line[:3] not in ("+++", "---")]
    removed = [line[1:] for line in lines if line.startswith("-")]
    added = [line[1:] for line in lines if line.startswith("+")]
    if len(removed) == len(added) == 1:
        if _strictness_only(removed[0], added[0]):
            return CONTINUOUS
        if _tolerance_strictness(removed[0], added[0]):
            return TOLERANCE
        if _default_int_only(removed[0], added[0]):
            return DEFAULT_INT
    changed = removed + added
    for pattern, reason in EQUIVALENT_KINDS:
        if changed and all(re.search(pattern, line) for line in changed):
            return reason
    return ""


def status(code: int | None) -> str:
    """The status word of a mutant from the exit code of its test run."""
    if code in KILLED:
        return "killed"
    if code in TIMEOUT:
        return "timeout"
    if code in SURVIVED:
        return "survived"
    if code in NO_TESTS:
        return "no tests"
    if code in NOT_CHECKED:
        return "not checked"
    if code in SKIPPED:
        return "skipped"
    return "suspicious"


def load(root: Path) -> dict[str, tuple[str, str]]:
    """Every mutant's source file and status, from the .meta files under root/mutants."""
    out = {}
    for meta in sorted((root / "mutants").rglob("*.py.meta")):
        source = meta.relative_to(root / "mutants").as_posix().removesuffix(".meta")
        codes = json.loads(meta.read_text())["exit_code_by_key"]
        for name, code in codes.items():
            out[name] = (source, status(code))
    return out


def score(counts: Counter) -> tuple[int, int, float]:
    """(killed, scored, percentage): timeouts count as killed; unchecked and skipped are out."""
    killed = counts["killed"] + counts["timeout"]
    scored = sum(n for s, n in counts.items() if s not in ("not checked", "skipped"))
    return killed, scored, (100.0 * killed / scored if scored else float("nan"))


def diff(name: str) -> str:
    """The mutant's diff, as ``mutmut show`` prints it (empty if it cannot be shown)."""
    try:
        from mutmut.mutation.diff_apply import get_diff_for_mutant
    except ImportError:  # another mutmut: ask its command line
        done = subprocess.run(
            [sys.executable, "-m", "mutmut", "show", name],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() if done.returncode == 0 else ""
    try:
        return get_diff_for_mutant(name).strip()
    except Exception:  # a mutant whose function can no longer be found
        return ""


def classify(name: str, source: str, text: str) -> tuple[str, str]:
    """(class, reason) of a survivor: equivalent, untestable, reporting or open."""
    why = EQUIVALENT.get(name) or equivalent_kind(text)
    if why.startswith(UNTESTABLE):
        return "untestable", why.removeprefix(UNTESTABLE).strip()
    if why:
        return "equivalent", why
    if source.endswith("verdicts.py") and reporting_only(text):
        return "reporting", "what is recorded or said, not the verdict"
    return "open", ""


TAGS = {
    "equivalent": " — equivalent: {}",
    "untestable": " — not equivalent, untestable: {}",
    "reporting": " — reporting only ({})",
    "open": "",
}


def report(mutants: dict[str, tuple[str, str]], with_diffs: bool = True) -> str:
    """The report's Markdown."""
    by_file: dict[str, Counter] = defaultdict(Counter)
    for source, state in mutants.values():
        by_file[source][state] += 1
    survivors = sorted(n for n, (_, s) in mutants.items() if s in ("survived", "no tests"))
    texts = {name: diff(name) if with_diffs else "" for name in survivors}
    kinds = {name: classify(name, mutants[name][0], texts[name]) for name in survivors}
    lines = ["# Mutation testing report", ""]
    lines += [
        "Written by `tools/mutants_report.py` from mutmut's results (`make mutants`); how to",
        'read it: docs/testing.md, "Mutation testing". Score = killed (timeouts included) /',
        "mutants checked; mutants not checked yet are listed but not scored. The last column",
        "leaves out the survivors judged equivalent (they cannot change behaviour).",
        "",
        "| area | killed | scored | score | equivalent | score without them | not checked |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]
    for area, prefix in [("all", ""), *AREAS.items()]:
        counts = Counter()
        for source, c in by_file.items():
            if source.startswith(prefix):
                counts.update(c)
        killed, scored, pct = score(counts)
        equivalent = sum(
            kinds[n][0] == "equivalent" for n in survivors if mutants[n][0].startswith(prefix)
        )
        rest = scored - equivalent
        lines.append(
            f"| {area} | {killed} | {scored} | {pct:.1f}% | {equivalent} | "
            f"{100.0 * killed / rest if rest else float('nan'):.1f}% | {counts['not checked']} |"
        )
    header = "| file | killed | survived | no tests | timeout | not checked |"
    lines += ["", "## By file", "", header]
    lines.append("|---|---:|---:|---:|---:|---:|")
    for source, c in sorted(by_file.items()):
        lines.append(
            f"| {source} | {c['killed']} | {c['survived']} | {c['no tests']} | {c['timeout']} "
            f"| {c['not checked']} |"
        )
    tally = Counter(kind for kind, _ in kinds.values())
    lines += [
        "",
        f"## Survivors ({len(survivors)})",
        "",
        f"{tally['equivalent']} judged equivalent, {tally['untestable']} untestable at a size a"
        f" test can build, {tally['reporting']} reporting only, {tally['open']} to kill or judge.",
        "",
    ]
    for name in survivors:
        source, state = mutants[name]
        kind, why = kinds[name]
        lines.append(f"### `{name}` ({source}, {state}){TAGS[kind].format(why)}")
        if texts[name]:
            lines += ["", "```diff", texts[name], "```"]
        lines.append("")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    """Write the report; ``--no-diffs`` lists survivors without their diffs (faster)."""
    os.chdir(ROOT)  # mutmut reads its results relative to the project root
    mutants = load(ROOT)
    if not mutants:
        print("no mutmut results under mutants/: run `make mutants` first", file=sys.stderr)
        return 2
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(report(mutants, with_diffs="--no-diffs" not in argv))
    print(f"report: {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
