"""downline experiments: configs, runs, results, analysis and the CLI.

Example:
    >>> from pathlib import Path
    >>> from experiments import load_config, load_results, run_experiment
    >>> cfg = load_config("example.toml")
    >>> summary = run_experiment(cfg, Path("results/example"))
    >>> results = load_results("results/example")
    >>> results.runs.groupby("scenario").success_rate.mean()
"""

from experiments.run.runner import SweepSummary, run_experiment
from experiments.spec.loader import load_config
from experiments.spec.runspec import RunSpec, expand_runs
from experiments.spec.schema import ConfigError, ExperimentConfig, config_hash
from experiments.store.layout import NotAResultsFolder
from experiments.store.results import CorruptResults, Results, load_results

__all__ = [
    "ConfigError",
    "CorruptResults",
    "ExperimentConfig",
    "NotAResultsFolder",
    "Results",
    "RunSpec",
    "SweepSummary",
    "config_hash",
    "expand_runs",
    "load_config",
    "load_results",
    "run_experiment",
]
