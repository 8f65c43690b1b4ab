"""Speed benchmarks (``make bench``): they print numbers; they are not tests."""
