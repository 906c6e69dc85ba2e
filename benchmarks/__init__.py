"""Benchmarks run by ``make bench``: each prints Civicmeter's figure beside a baseline timed in the same run."""
