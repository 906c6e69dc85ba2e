"""Benchmarks run by ``make bench``: each prints our figure beside a baseline timed in the same run."""
