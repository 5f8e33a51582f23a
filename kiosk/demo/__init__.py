"""Synthetic patients for training and benchmarks: fake names, a realistic spread of answers, flags and statuses."""
