"""Presentation: charts, the report, notebook helpers, sponsor trees and the demo.

Imports the layers below it (`spec`, `store`, `run`, `claims`); within `experiments`
only the CLI imports it (notebooks do too).
"""
