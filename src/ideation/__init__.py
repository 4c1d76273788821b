"""ideation: an event-sourced ideas and measures planner for a city's Smart-City coordination."""

__version__ = "0.1.0"
