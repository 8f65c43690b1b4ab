"""Named reads for the screens: plain rows and dataclasses answered from the open project.

The Qt layer asks these functions what to show (``allocation_rows(project)``, ``budget_years(project)``)
instead of querying the session itself, so the widgets do not know the schema, and the same reads serve
the command line and the reports. No Qt here; each module answers one screen or one concept.
"""
