"""Recording which of a model's methods a step calls, in order."""

from __future__ import annotations

from typing import Any


def calls_in_one_step(monkeypatch: Any, model: Any, names: list[str]) -> list[str]:
    """Step `model` once with `names` wrapped, and return the wrapped methods called, in order."""
    calls: list[str] = []
    for name in names:
        original = getattr(model, name)

        def spy(*args, _name=name, _original=original):
            calls.append(_name)
            return _original(*args)

        monkeypatch.setattr(model, name, spy)
    model.step()
    return calls
