"""The machine and the process: paths, the data folder, logs, database health, hardening, the clock, sealing primitives."""
