"""Helpers that drive the real core as a patient would, for tests, benchmarks, tools and the bundle check."""
