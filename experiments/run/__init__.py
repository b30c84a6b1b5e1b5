"""Running experiments: the sweep runner, its backends, one run in a worker, suites.

Imports `experiments.spec` and `experiments.store`, never the claims or presentation layers.
"""
