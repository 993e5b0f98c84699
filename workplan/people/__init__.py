"""People and organisations on the web: the coordinator's list of accounts, invitations,
each person's own profile, and the network's directory of focal points (Annex II S1, S9)."""
