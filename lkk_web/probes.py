"""Liveness and readiness, for a load balancer: /health and /ready."""
from __future__ import annotations

from flask import Blueprint, jsonify

from lkk_integration.core import database_state

from . import core_of

bp = Blueprint("probes", __name__)

# When to ask again while the database is away (pages, /ready; SOAP says the same).
RETRY_AFTER = {"Retry-After": "30"}


@bp.get("/health")
def health():
    """The process answers (for a load balancer's liveness check)."""
    return jsonify(status="ok")


@bp.get("/ready")
def ready():
    """The process can serve: its database answers, and can write (readiness check)."""
    state = database_state(core_of())
    if state != "ok":
        return jsonify(status="unavailable", database=state), 503, RETRY_AFTER
    return jsonify(status="ok", database="ok")
