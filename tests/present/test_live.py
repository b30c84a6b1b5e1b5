import io
import zipfile

import numpy as np
import pytest

from experiments.present.inputs import default_texts, read_settings
from experiments.present.live import CHARTS, METRICS, LiveRuns, charts_zip


def _settings(plan="unilevel", **texts):
    settings, errors = read_settings(plan, {**default_texts(plan), "n_people": "400", **texts})
    assert errors == {}
    return settings


def test_compare_mode_runs_both_plans_on_the_same_people():
    runs = LiveRuns(_settings(), compare="referral")
    assert list(runs.runs) == ["unilevel", "referral"]
    first, second = runs.runs.values()
    assert np.array_equal(first.participant_table()["id"], second.participant_table()["id"])
    runs.step()
    assert runs.month == first.month == second.month == 1
    assert set(runs.participants()["plan"]) <= {"unilevel", "referral"}
    assert list(runs.metrics().columns) == ["unilevel", "referral"]
    assert list(runs.metrics().index) == list(METRICS)


def test_runs_stop_at_the_horizon():
    runs = LiveRuns(_settings(months="2"))
    for _ in range(3):
        runs.step()
    assert runs.month == 2
    assert runs.running is False
    assert len(runs.monthly()) == 2


def test_export_holds_every_chart_as_png():
    runs = LiveRuns(_settings(), compare="binary")
    runs.step()
    with zipfile.ZipFile(io.BytesIO(charts_zip(runs, dpi=40))) as archive:
        assert sorted(archive.namelist()) == sorted(f"{name}.png" for name in CHARTS)
        for name in archive.namelist():
            assert archive.read(name).startswith(b"\x89PNG")


@pytest.mark.parametrize("name", list(CHARTS))
def test_every_chart_draws_before_the_first_step_and_without_participants(name):
    for settings in (_settings(), _settings(n_founders="0")):
        runs = LiveRuns(settings)
        figure = CHARTS[name](runs, runs.participants())
        assert figure.axes
