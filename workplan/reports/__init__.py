"""Reports: documents built from the plan's history, produced by background jobs."""
