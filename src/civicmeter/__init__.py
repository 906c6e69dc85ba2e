"""Civicmeter: measure, benchmark and improve city governments' innovation and data-use capacity."""

__version__ = "0.1.0"
