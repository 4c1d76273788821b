"""Benchmarks: timing lives here and in docs/benchmarks.md, never in tests."""
