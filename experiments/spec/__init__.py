"""The specification of experiments: config schema and loading, designs, runs, seeds, suites.

The bottom layer of `experiments`: it imports nothing of ours but `experiments.paths`.
"""
