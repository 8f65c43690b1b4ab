"""Facility standards: data-driven checks of the plan and inventory that produce findings."""
