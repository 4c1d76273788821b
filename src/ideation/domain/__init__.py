"""Aggregates, their events and rules; imports nothing but eventsourcing.domain and the stdlib."""
