"""Benchmark of the answering core against the obvious alternatives (see bench/README.md)."""
