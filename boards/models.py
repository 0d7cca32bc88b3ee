"""Idea boards: built in issue #3."""
