"""Departments' pages: what each department received from the measures (Mehrwerte)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("departments", __name__, url_prefix="/fachbereiche")
