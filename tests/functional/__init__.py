"""functional tests."""
