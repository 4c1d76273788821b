"""Tests, sorted by how much is real."""
