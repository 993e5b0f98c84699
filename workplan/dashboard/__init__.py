"""The coordinator's dashboard: the whole plan at a glance, who has not reported, what is
blocked; the matrix of recommendations by organisation; exports of the current view."""
