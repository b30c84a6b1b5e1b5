"""Re-create the nine bugs of issue 15 one at a time and check that a non-golden test fails.

Each bug is one text substitution in one source file (the recipe in docs/testing.md,
"The nine planted bugs"). For each, the file is changed, the named test files are run
(golden-file tests are never among them), and the file is restored, whatever happens.

Usage::

    python tools/plant_bugs.py            # every bug
    python tools/plant_bugs.py C3 quit    # some, by name

Exit status 0 when every bug made at least one test fail, 1 otherwise.

It edits the sources while it runs: never run it while mutmut is generating mutants.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Bug:
    """One planted bug: replace `old` by `new` in `path`; `tests` must then fail."""

    name: str
    path: str
    old: str
    new: str
    tests: tuple[str, ...]


BUGS = (
    Bug(
        "C3-reversed",
        "experiments/claims/verdicts.py",
        'beyond(rc, 0.0, 0.1, "below")',
        'beyond(rc, 0.0, 0.1, "above")',
        ("tests/test_claim_rules.py",),
    ),
    Bug(
        "C7-tenfold",
        "experiments/claims/verdicts.py",
        'verdict = beyond(share, 0.5, 0.05, "above")',
        'verdict = beyond(share, 0.05, 0.05, "above")',
        ("tests/test_claim_rules.py",),
    ),
    Bug(
        "C5-flag-reversed",
        "experiments/claims/robustness.py",
        "return _flag(ref <= 0.08 and d >= _rel(ref, 0.01), d, ref)",
        "return _flag(not (ref <= 0.08 and d >= _rel(ref, 0.01)), d, ref)",
        ("tests/test_robustness_flags.py",),
    ),
    Bug(
        "training-effect-ignored",
        "model/model.py",
        "talent = pop.skill[sellers] * (1.0 + p.training_effect)",
        "talent = pop.skill[sellers] * 1.0",
        ("tests/test_rules.py",),
    ),
    Bug(
        "training-cost-never-charged",
        "model/model.py",
        "np.where(business, p.training_cost, 0.0)",
        "np.where(business, 0.0, 0.0)",
        ("tests/test_rules.py",),
    ),
    Bug(
        "store-writes-in-place",
        "experiments/store/writer.py",
        "atomic_write(self.root / paths[kind], lambda h, d=data: h.write(d))",
        "(self.root / paths[kind]).write_bytes(data)",
        ("tests/experiments/test_store_atomic.py",),
    ),
    Bug(
        "quit-without-income-term",
        "model/model.py",
        "hazard = p.disappointment_weight * np.clip(gap, 0.0, 1.0) + p.loss_weight * loss_term",
        "hazard = p.loss_weight * loss_term",
        ("tests/test_rules.py",),
    ),
    Bug(
        "negative-wom-never-spreads",
        "model/model.py",
        "if p.neg_wom_reach == 0 or not tellers.any():",
        "if True:",
        ("tests/test_rules.py",),
    ),
    Bug(
        "customer-joins-under-quitter",
        "model/model.py",
        "orphan = (sponsor < 0) | ~pop.active[np.maximum(sponsor, 0)]",
        "orphan = sponsor < 0",
        ("tests/test_rules.py",),
    ),
)


def plant(bug: Bug, python: str = sys.executable) -> bool:
    """Apply the bug, run its tests, restore the file; True when a test failed."""
    path = ROOT / bug.path
    original = path.read_text()
    if original.count(bug.old) != 1:
        raise SystemExit(f"{bug.name}: the text to replace is not once in {bug.path}")
    try:
        path.write_text(original.replace(bug.old, bug.new))
        cmd = [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *bug.tests]
        done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, check=False)
    finally:
        path.write_text(original)
    failed = [line for line in done.stdout.splitlines() if line.startswith("FAILED")]
    print(f"{bug.name}: {'caught' if done.returncode == 1 else 'NOT caught'}")
    for line in failed:
        print(f"    {line}")
    return done.returncode == 1


def main(names: list[str]) -> int:
    """Plant the named bugs (all when none are named); 0 when every one was caught."""
    chosen = [b for b in BUGS if not names or any(b.name.startswith(n) for n in names)]
    caught = [plant(bug) for bug in chosen]
    return 0 if all(caught) else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
