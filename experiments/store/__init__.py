"""The results store: a results folder's layout, writing it, reading it back, provenance.

Imports only `experiments.spec` (and `experiments.paths`) of ours.
"""
