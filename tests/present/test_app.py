"""The page rendered in-process with solara's test helpers (as Mesa's tests/test_solara_viz.py)."""

import pytest

solara = pytest.importorskip("solara", reason="the app needs solara: pip install -e '.[app]'")

import ipyvuetify as v  # noqa: E402
import ipywidgets  # noqa: E402

from experiments.present.app import Page  # noqa: E402
from tests.present.test_inputs import _api_message  # noqa: E402


@solara.component
def _App():
    with solara.AppLayout():
        Page()


pytestmark = [
    pytest.mark.filterwarnings("ignore::UserWarning"),  # Mesa's ComponentsView: solara hook check
]


@pytest.fixture
def page():
    _, rc = solara.render(_App(), handle_error=False)
    return rc


def _images(rc):
    return [w.widget.value for w in rc.find(ipywidgets.Image)]


def _type(rc, label, text):
    field = rc.find(v.TextField, label=label).widget
    field.v_model = text
    field.fire_event("keyup.enter")
    return rc.find(v.TextField, label=label).widget


def _png_width(png: bytes) -> int:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big")


def _markdown(rc) -> str:
    """The page's widget tree as text (Markdown content included)."""
    return repr(rc.find().widget)


def _card_titles(rc):
    return [str(w.widget.children) for w in rc.find(v.CardTitle)]


def test_change_a_parameter_step_and_the_model_and_charts_change(page):
    _type(page, "n people", "300")
    page.find(v.Select, label="plan").widget.v_model = "referral"
    assert any("month 0" in t for t in _card_titles(page))
    before = _images(page)
    for _ in range(3):
        page.find(v.Btn, children=["Step"]).widget.click()
    assert any("month 3" in t for t in _card_titles(page))
    after = _images(page)
    assert len(after) == len(before) == 5
    assert before[0] != after[0]  # participants and customers over time
    assert sum(b != a for b, a in zip(before, after, strict=True)) >= 3
    assert any("Export (month 3)" in t for t in _card_titles(page))


def test_bad_value_shows_the_api_message_next_to_the_field_and_keeps_the_run(page):
    field = _type(page, "mean degree", "1")
    assert field.error is True
    assert field.messages == [_api_message(mean_degree=1.0)]
    page.find(v.Btn, children=["Step"]).widget.click()  # the last valid run still steps
    assert any("month 1" in t for t in _card_titles(page))
    field = _type(page, "mean degree", "12")
    assert not field.error


def test_compare_mode_runs_two_plans_side_by_side(page):
    _type(page, "n people", "300")
    single_tree = _png_width(_images(page)[-1])
    page.find(v.Select, label="compare with").widget.v_model = "referral"
    page.find(v.Btn, children=["Step"]).widget.click()
    images = _images(page)
    assert len(images) == 5
    assert _png_width(images[-1]) > 1.5 * single_tree  # two sponsor trees side by side
    assert any("month 1" in t for t in _card_titles(page))


def test_what_if_panel_answers_with_a_distribution(page):
    page.find(v.Tabs).widget.v_model = 1
    _type(page, "replications per plan", "1")
    field = _type(page, "people you know", "many")
    assert field.messages == ["ties: must be a number, got 'many'"]
    assert page.find(v.Btn, children=["Run"]).widget.disabled
    _type(page, "people you know", "25")
    assert not _images(page)
    assert "median net income" not in _markdown(page)
    page.find(v.Btn, children=["Run"]).widget.click()
    assert len(_images(page)) == 1  # the box plots of net income at 1, 3 and 5 years
    summary = _markdown(page)
    for plan in ("unilevel", "referral"):
        assert f"{plan}, like you" in summary
        assert f"{plan}, typical" in summary
    assert summary.count("lose money") == 4
