"""The national-scale benchmark (`make bench`): burst, framework ceiling, latency and memory, measured here."""
