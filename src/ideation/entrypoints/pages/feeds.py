"""Staying informed: Atom feeds for the planner and each department, and a printable digest."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("feeds", __name__)
