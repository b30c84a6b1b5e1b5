"""The claims analysis: catalogue, statistics, measures, verdicts, robustness, assessment.

Reads only stored results: imports `experiments.spec` and `experiments.store`, never `run`.
"""
