"""Widgets of the terminal game."""
