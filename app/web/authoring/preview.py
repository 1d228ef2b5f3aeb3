"""Authoring: preview (routes added by its author)."""
