"""The Survey tab (SKM): periods, fast keyboard entry of paper forms, results with charts, import and
follow-up actions."""
