"""The notebooks are stored without outputs and in sync with their paired percent scripts.

Running them is a separate test: `pytest --nbmake notebooks` (part of `make test`).
"""

import jupytext
import nbformat
import pytest

from experiments.paths import NOTEBOOKS_DIR

NOTEBOOKS = sorted(NOTEBOOKS_DIR.glob("[0-9][0-9]_*.ipynb"))
FIX = "fix: jupytext --sync notebooks/[0-9]*.ipynb && jupytext --to ipynb notebooks/[0-9]*.py"


def test_there_are_notebooks():
    names = [p.name for p in NOTEBOOKS]
    assert names[:2] == ["01_single_run.ipynb", "02_claims.ipynb"]
    assert [int(name[:2]) for name in names] == list(range(1, len(names) + 1)), names


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_no_outputs(path):
    notebook = nbformat.read(path, as_version=4)
    dirty = [
        i
        for i, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]
    assert not dirty, f"{path.name}: cells {dirty} have outputs; {FIX}"
    assert "widgets" not in notebook.metadata, f"{path.name}: saved widget state; {FIX}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_matches_paired_script(path):
    script = path.with_suffix(".py")
    assert script.is_file(), f"{path.name} has no paired {script.name}"
    notebook, text = jupytext.read(path), jupytext.read(script)
    cells = [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in notebook.cells]
    paired = [(c.cell_type, c.source, c.metadata.get("tags", [])) for c in text.cells]
    assert cells == paired, f"{path.name} and {script.name} differ; {FIX}"
    assert notebook.metadata["kernelspec"]["name"] == "python3"
    assert notebook.metadata["jupytext"]["formats"] == "ipynb,py:percent"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_has_purpose_and_parameters(path):
    notebook = nbformat.read(path, as_version=4)
    first = notebook.cells[0]
    assert first.cell_type == "markdown" and "**Purpose.**" in first.source
    tagged = [c for c in notebook.cells if "parameters" in c.metadata.get("tags", [])]
    assert len(tagged) == 1 and "notebook_size()" in tagged[0].source
