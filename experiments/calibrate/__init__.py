"""Calibration: the model's defaults against published figures (`downline calibrate`).

`targets` holds the published targets with their bands and sources; `fit`
scores every design point of a calibration run (stored through the
experiments layer) against them and picks the calibrated parameters and
the accepted set.
"""
