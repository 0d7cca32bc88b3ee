"""Models: to be built."""
