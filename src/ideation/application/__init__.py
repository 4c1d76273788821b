"""The application: commands and queries over the aggregates, permissions, history."""
