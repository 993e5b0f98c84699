"""History: timelines of assignments and recommendations, and the audit trail."""
