"""Loads pytest-ipywidgets' plugin (the app's browser tests) without its one known deprecation.

The plugin imports solara's server, which imports `websockets.legacy`; since
websockets 14 that import warns, and under CI's `-W error::DeprecationWarning`
pytest would fail to load the plugin and stop. So the plugin's automatic
loading is switched off (`-p no:solara` in pyproject.toml), `websockets.legacy`
is imported here once with that warning ignored, and then the plugin is loaded.
"""

import importlib.util
import warnings

if importlib.util.find_spec("solara") and importlib.util.find_spec("pytest_playwright"):
    if importlib.util.find_spec("websockets"):
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", "websockets.legacy is deprecated", DeprecationWarning)
            import websockets.legacy  # noqa: F401

    pytest_plugins = ["solara.test.pytest_plugin"]
