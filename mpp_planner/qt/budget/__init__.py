"""The Budget tab."""
