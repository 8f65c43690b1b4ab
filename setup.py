"""Package list only (metadata is in pyproject.toml): maps the top-level resources/ folder
into the installed package as mpp_planner.resources."""

from setuptools import find_packages, setup

setup(
    packages=find_packages(include=["mpp_planner", "mpp_planner.*"]) + ["mpp_planner.resources"],
    package_dir={"mpp_planner.resources": "resources"},
)
