"""Presentation: charts, the report, notebook helpers, sponsor trees, the demo and the app.

Imports the layers below it (`spec`, `store`, `run`, `claims`); within `experiments`
only the CLI imports it (notebooks do too).

The interactive app (`downline app`): `app` is the Solara page; `inputs` turns
the model's and the plans' parameter metadata into its input fields; `live`
steps one or two runs and draws their charts; `whatif` answers "what would
happen to me" from replicated runs; `server` serves the page offline.
"""
