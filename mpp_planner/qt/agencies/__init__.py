"""The agency register tab."""
