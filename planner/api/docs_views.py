"""The OpenAPI 3.1 description of the JSON API at /api/v1/openapi.json, generated (spectree)
from the typed models each view declares."""

from flask import Blueprint, current_app, jsonify

from planner.api.common import spec

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")


@bp.get("/openapi.json")
def openapi():
    document = dict(spec.spec)
    document["servers"] = [{"url": current_app.config["PLANNER_BASE_URL"]}]
    return jsonify(document)
