"""Focal points report progress and raise blockers on their organisation's assignments."""
