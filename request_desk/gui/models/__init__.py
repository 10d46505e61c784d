"""GUI models."""
