"""Benchmarks of issue 8: `python -m bench` prints one table of ratios against same-run baselines."""
