"""Background jobs (RQ), and the in-process fallback when no Redis is configured."""
