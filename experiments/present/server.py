"""`downline app`: serve the app's page with the Solara server, offline.

The page is `experiments.present.app`; the server runs in production mode
(no version check that would load a page from the network) with telemetry
off, and serves its own assets (the `solara-assets` package).
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys

__all__ = [
    "APP_MODULE",
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "missing_app_packages",
    "serve",
    "server_command",
]

APP_MODULE = "experiments.present.app"
"""The module whose `Page` is served."""
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
OFFLINE_ENV = {"SOLARA_TELEMETRY_MIXPANEL_ENABLE": "False"}
"""Environment of the server: no telemetry requests."""


APP_PACKAGES = ("solara", "solara_assets")
"""Import names the server needs (the `app` extras)."""


def missing_app_packages() -> list[str]:
    """The packages of the `app` extras that are not installed (import names)."""
    return [name for name in APP_PACKAGES if importlib.util.find_spec(name) is None]


def server_command(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> list[str]:
    """The command line of the Solara server serving the app."""
    return [
        sys.executable,
        "-m",
        "solara",
        "run",
        APP_MODULE,
        "--host",
        host,
        "--port",
        str(port),
        "--production",
        "--no-open",
        "--log-level",
        "warning",
    ]


def serve(host: str = DEFAULT_HOST, port: int = DEFAULT_PORT) -> int:
    """Print the page's address and serve it until interrupted.

    Args:
        host: interface to listen on.
        port: TCP port.

    Returns:
        The server's exit code (0 after Ctrl+C).
    """
    print(f"downline app: http://{host}:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        return subprocess.call(server_command(host, port), env={**os.environ, **OFFLINE_ENV})
    except KeyboardInterrupt:
        return 0
