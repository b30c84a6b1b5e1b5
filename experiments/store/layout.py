"""The layout of a results folder, shared by the writer (`writer`) and the reader (`results`).

```
<out>/
  manifest.json                     provenance, per-run status, each file's sha256 and rows
  runs/<safe_run_id>.parquet        one row: ids, design values, then the run's metrics
  monthly/<safe_run_id>.parquet     the run's monthly series (outputs.monthly)
  participants/<safe_run_id>.parquet the run's participant table (outputs.participants)
  .lock                             held while a `downline run` writes the folder
  analysis/, charts/, report.*      outputs made from the runs (`downline report`), deleted
                                    when a run changes what the folder holds
```

A suite's folder holds `suite.json` (kind `downline-suite`: the suite's
name, its parts in order with their folders and config hashes) and one such
results folder per part.

`safe_run_id` is the run id with `/` replaced by `__`
(`s=mlm/p=0003/r=007` -> `s=mlm__p=0003__r=007`). Every file is written
atomically, so a file that exists is complete. Temporary files are named
`.<final name>.<random>.tmp`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1
KIND = "downline-results"
MANIFEST = "manifest.json"
SUITE_KIND = "downline-suite"
SUITE_MANIFEST = "suite.json"
LOCK = ".lock"
TMP_SUFFIX = ".tmp"
TABLE_DIRS = {"metrics": "runs", "monthly": "monthly", "participants": "participants"}
DERIVED = ("analysis", "charts", "report.md", "report.html")
"""Outputs made from the runs (analysis, charts, report): stale when the runs change."""


class NotAResultsFolder(ValueError):
    """A folder that does not hold downline results this version can read."""


def safe_name(run_id: str) -> str:
    """The file stem of a run: its id with `/` replaced by `__`."""
    return run_id.replace("/", "__")


def is_temporary(name: str) -> bool:
    """Whether a file name is one of our temporary files."""
    return name.startswith(".") and name.endswith(TMP_SUFFIX)


def read_kind_json(root: Path, name: str, kind: str, what: str) -> dict[str, Any]:
    """A JSON object file `name` in `root` whose "kind" must be `kind`.

    Args:
        root: the folder.
        name: the file name (e.g. manifest.json).
        kind: the expected value of the object's "kind".
        what: what the folder is, for messages ("results", "suite results").

    Raises:
        NotAResultsFolder: when the file is missing, unreadable or of another kind.
    """
    path = root / name
    if not path.is_file():
        raise NotAResultsFolder(f"{root}: not a downline {what} folder (no {name})")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as err:
        raise NotAResultsFolder(f"{root}: {name} is unreadable: {err}") from None
    if not isinstance(data, dict) or data.get("kind") != kind:
        raise NotAResultsFolder(f"{root}: {name} is not a downline {what} manifest")
    return data


def read_manifest(root: Path) -> dict[str, Any]:
    """The manifest of a results folder, checked for kind and format version.

    Args:
        root: the results folder.

    Returns:
        The manifest as a dict.

    Raises:
        NotAResultsFolder: when `root` has no readable downline manifest of this format.
    """
    data = read_kind_json(root, MANIFEST, KIND, "results")
    if data.get("format_version") != FORMAT_VERSION:
        raise NotAResultsFolder(
            f"{root}: results format version {data.get('format_version')!r}; "
            f"this version of downline reads format {FORMAT_VERSION}"
        )
    return data


def read_suite_manifest(root: Path) -> dict[str, Any]:
    """The `suite.json` of a suite folder.

    Args:
        root: the suite's results folder.

    Returns:
        The manifest as a dict.

    Raises:
        NotAResultsFolder: when `root` has no readable suite manifest.
    """
    return read_kind_json(root, SUITE_MANIFEST, SUITE_KIND, "suite results")
