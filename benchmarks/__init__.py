"""Benchmarks run by `make bench`. Each module prints `name: value unit (ratio R vs BASELINE)` lines."""
