"""Read models: SQLAlchemy tables derived from the event log by the projector (next issue)."""
