"""Where results came from: code version, package versions, Python and platform."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from experiments.paths import PACKAGE_DIR

PROJECT_DIR = PACKAGE_DIR.parent
PACKAGES = ("mesa", "numpy", "pandas", "scipy", "pyarrow", "pydantic")


def code_version() -> str:
    """`git describe --always --dirty` of the project, else the installed downline version."""
    if (PROJECT_DIR / ".git").exists():
        try:
            described = subprocess.run(
                ["git", "describe", "--always", "--dirty"],
                cwd=PROJECT_DIR,
                capture_output=True,
                text=True,
                timeout=10,
                check=True,
                # read-only: never take the index lock while others use the repository
                env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"},
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            described = ""
        if described:
            return described
    return _installed_version("downline") or "unknown"


def package_versions() -> dict[str, str | None]:
    """Installed versions of the packages results depend on (None: not installed)."""
    return {name: _installed_version(name) for name in PACKAGES}


def environment() -> dict[str, Any]:
    """Code version, package versions, Python version and platform, for the manifest."""
    return {
        "code_version": code_version(),
        "packages": package_versions(),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
    }


def now() -> str:
    """The current UTC time in ISO 8601, to the second."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def _installed_version(name: str) -> str | None:
    try:
        return version(name)
    except PackageNotFoundError:
        return None
