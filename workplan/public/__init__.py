"""The public page of the network's progress and its open data (Annex II S7), off by default."""
