"""The Inventory & Needs tab."""
