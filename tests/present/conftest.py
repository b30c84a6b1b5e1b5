"""Browser tests: Playwright drives Debian's chromium-headless-shell.

Playwright's own browser download cannot work offline, so the system binary is
launched through `executable_path`.
"""

import shutil

import pytest

CHROMIUM = shutil.which("chromium-headless-shell")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Launch the system's headless Chromium (pytest-playwright's launch arguments)."""
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}
