"""Data files of MPP Planner (installed as mpp_planner.resources); no code."""
