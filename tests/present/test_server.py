"""`downline app` serves the page from this machine alone (no asset from the network)."""

import re
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from experiments.cli import main
from experiments.present import server

pytest.importorskip("solara", reason="the app needs solara: pip install -e '.[app]'")
pytest.importorskip("solara_assets", reason="the app serves its assets from solara-assets")

STARTUP_S = 60


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    with urllib.request.urlopen(url, timeout=10) as response:
        return response.status, response.read()


@pytest.fixture
def served():
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "experiments", "app", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            try:
                _status, page = _get(base + "/")
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        yield base, page.decode(), server
    finally:
        server.terminate()
        server.wait(timeout=20)


@pytest.mark.slow
def test_app_prints_its_address_and_serves_every_asset_itself(served):
    base, page, server = served
    assert server.stdout.readline().strip().startswith(f"downline app: {base}/")
    assets = re.findall(r'<(?:script|link|img|iframe)[^>]*(?:src|href)="([^"]+)"', page)
    assert assets
    external = [a for a in assets if re.match(r"(https?:)?//", a)]
    assert external == []
    for asset in assets:
        url = asset if asset.startswith("/") else "/" + asset
        status, body = _get(base + url)
        assert status == 200 and body, url


def test_app_refuses_a_bad_port(capsys):
    assert main(["app", "--port", "zero"]) == 2
    assert "--port" in capsys.readouterr().err


def test_app_without_its_packages_says_what_to_install(capsys, monkeypatch):
    monkeypatch.setattr(server, "APP_PACKAGES", ("solara", "no_such_package_here"))
    assert main(["app"]) == 3  # an environment error: a package is missing
    err = capsys.readouterr().err
    assert err.strip() == "error: app: needs no_such_package_here: pip install -e '.[app]'"
