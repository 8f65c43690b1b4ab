"""The floor plan: a scene per floor whose items are projections of model objects."""
