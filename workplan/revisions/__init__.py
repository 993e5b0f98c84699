"""Revising the plan in one step after a meeting: a file read into a proposed plan, its
differences with the current plan, and the accepted ones applied for the meeting."""
