"""Speed benchmarks: scripts that print numbers (never assertions, never part of the tests)."""
