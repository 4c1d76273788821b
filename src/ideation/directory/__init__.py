"""The people directory: personal data (names, e-mail) kept outside the event store."""
