"""The OpenAPI 3.1 description of the JSON API, served at /api/v1/openapi.json.

Kept beside the routes it describes; tests/test_api_openapi.py fails when a route and this
document disagree, and schemathesis checks the live answers against it in CI."""

from flask import Blueprint, current_app, jsonify

from planner.delegations.models import DelegationStatus, Gender, MemberRole
from planner.demo import DEMO_SLUG
from planner.programs.models import ItemKind, ItemStatus, ProgramStatus

bp = Blueprint("api_docs", __name__, url_prefix="/api/v1")

REF = "#/components/schemas/"


def ref(name: str) -> dict:
    return {"$ref": REF + name}


def nullable(schema: dict) -> dict:
    return {"anyOf": [schema, {"type": "null"}]}


STRING = {"type": "string"}
DATE = {"type": "string", "format": "date"}
DATETIME = {"type": "string", "format": "date-time"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}


def enum(values) -> dict:
    return {"type": "string", "enum": [value.value for value in values]}


SCHEMAS = {
    "Error": {
        "type": "object",
        "required": ["message"],
        "properties": {
            "message": STRING,
            "errors": {
                "type": "object",
                "description": "Messages by field path, e.g. members.30.full_name.",
                "additionalProperties": {"type": "array", "items": STRING},
            },
        },
    },
    "Venue": {
        "type": "object",
        "required": ["id", "name", "address", "latitude", "longitude", "seats", "notes"],
        "properties": {
            "id": STRING,
            "name": STRING,
            "address": STRING,
            "latitude": nullable({"type": "number"}),
            "longitude": nullable({"type": "number"}),
            "seats": nullable(INTEGER),
            "notes": STRING,
        },
    },
    "VenueInput": {
        "type": "object",
        "required": ["name"],
        "properties": {
            "name": {"type": "string", "minLength": 1, "maxLength": 200},
            "address": {"type": "string", "maxLength": 500},
            "latitude": nullable({"type": "number", "minimum": -90, "maximum": 90}),
            "longitude": nullable({"type": "number", "minimum": -180, "maximum": 180}),
            "seats": nullable({"type": "integer", "minimum": 1}),
            "notes": STRING,
            "opens_at": {"type": "string", "description": "HH:MM, local time"},
            "closes_at": {"type": "string", "description": "HH:MM, local time"},
        },
    },
    "Item": {
        "type": "object",
        "required": [
            "id",
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "venue_id",
            "venue",
            "presenter",
            "description",
            "requirements",
            "dress_code",
            "capacity",
            "optional",
            "status",
            "revision",
            "seats_left",
        ],
        "properties": {
            "id": STRING,
            "title": STRING,
            "kind": enum(ItemKind),
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "venue_id": nullable(STRING),
            "venue": nullable(ref("Venue")),
            "presenter": STRING,
            "description": STRING,
            "requirements": STRING,
            "dress_code": STRING,
            "capacity": nullable(INTEGER),
            "optional": BOOLEAN,
            "status": enum(ItemStatus),
            "revision": INTEGER,
            "seats_left": nullable(INTEGER),
        },
    },
    "ItemInput": {
        "type": "object",
        "description": "Times in ISO 8601 with offset; an item starts and ends on one of the "
        "program's days. For PATCH every field is optional; a change of time, place, title "
        "or status raises the revision once the program is published.",
        "properties": {
            "title": {"type": "string", "maxLength": 200},
            "kind": enum(ItemKind),
            "starts_at": DATETIME,
            "ends_at": DATETIME,
            "venue_id": nullable(STRING),
            "presenter": {"type": "string", "maxLength": 200},
            "description": STRING,
            "requirements": STRING,
            "dress_code": {"type": "string", "maxLength": 200},
            "capacity": nullable({"type": "integer", "minimum": 1}),
            "optional": BOOLEAN,
            "reminder_minutes": {"type": "integer", "minimum": 0},
            "status": enum(ItemStatus),
        },
    },
    "Program": {
        "type": "object",
        "required": [
            "slug",
            "title",
            "summary",
            "description",
            "first_day",
            "last_day",
            "timezone",
            "status",
            "listed",
            "members_per_delegation",
            "max_delegations",
            "max_participants",
            "requires_approval",
            "waitlist",
            "registration_opens_at",
            "registration_closes_at",
            "seats_left",
        ],
        "properties": {
            "slug": STRING,
            "title": STRING,
            "summary": STRING,
            "description": STRING,
            "first_day": DATE,
            "last_day": DATE,
            "timezone": STRING,
            "status": enum(ProgramStatus),
            "listed": BOOLEAN,
            "members_per_delegation": INTEGER,
            "max_delegations": nullable(INTEGER),
            "max_participants": nullable(INTEGER),
            "requires_approval": BOOLEAN,
            "waitlist": BOOLEAN,
            "registration_opens_at": nullable(DATETIME),
            "registration_closes_at": nullable(DATETIME),
            "seats_left": nullable(INTEGER),
            "items": {"type": "array", "items": ref("Item")},
        },
    },
    "ProgramInput": {
        "type": "object",
        "description": "For POST, title, first_day and last_day are required; for PATCH "
        "every field is optional.",
        "properties": {
            "slug": {"type": "string", "pattern": "^[a-z0-9]+(-[a-z0-9]+)*$", "maxLength": 80},
            "title": {"type": "string", "maxLength": 200},
            "summary": {"type": "string", "maxLength": 500},
            "description": STRING,
            "first_day": DATE,
            "last_day": DATE,
            "timezone": {
                "type": "string",
                "enum": ["Asia/Jakarta", "Asia/Pontianak", "Asia/Makassar", "Asia/Jayapura"],
            },
            "listed": BOOLEAN,
            "members_per_delegation": {"type": "integer", "minimum": 1, "maximum": 200},
            "max_delegations": nullable({"type": "integer", "minimum": 1}),
            "max_participants": nullable({"type": "integer", "minimum": 1}),
            "requires_approval": BOOLEAN,
            "waitlist": BOOLEAN,
            "registration_opens_at": nullable(DATETIME),
            "registration_closes_at": nullable(DATETIME),
            "host_official_name": {
                "type": "string",
                "maxLength": 200,
                "description": "Signs the SPPD certification list.",
            },
            "host_official_title": {"type": "string", "maxLength": 200},
            "host_official_nip": {"type": "string", "description": "18 digits"},
        },
    },
    "Member": {
        "type": "object",
        "required": [
            "id",
            "full_name",
            "nip",
            "position",
            "rank",
            "gender",
            "phone",
            "email",
            "dietary",
            "role",
            "precedence",
            "optional_items",
            "personal_url",
            "calendar_url",
        ],
        "properties": {
            "id": STRING,
            "full_name": STRING,
            "nip": nullable(STRING),
            "position": STRING,
            "rank": STRING,
            "gender": nullable(enum(Gender)),
            "phone": STRING,
            "email": nullable(STRING),
            "dietary": STRING,
            "role": enum(MemberRole),
            "precedence": nullable(INTEGER),
            "optional_items": {"type": "array", "items": STRING},
            "personal_url": {"type": "string", "format": "uri"},
            "calendar_url": {"type": "string", "format": "uri"},
        },
    },
    "MemberInput": {
        "type": "object",
        "required": ["full_name", "position"],
        "properties": {
            "id": {"type": "string", "description": "An existing member's id keeps their link."},
            "full_name": {"type": "string", "maxLength": 200},
            "position": {"type": "string", "maxLength": 200},
            "nip": {"type": "string", "description": "18 digits"},
            "rank": {"type": "string", "maxLength": 100},
            "gender": enum(Gender),
            "phone": {"type": "string", "description": "Indonesian or international number"},
            "email": {"type": "string", "format": "email"},
            "dietary": {"type": "string", "maxLength": 200},
            "role": enum(MemberRole),
            "optional_items": {"type": "array", "items": STRING},
        },
    },
    "Delegation": {
        "type": "object",
        "required": [
            "id",
            "program",
            "status",
            "status_reason",
            "institution",
            "province",
            "leader_name",
            "leader_title",
            "contact",
            "request_letter",
            "members",
            "manage_url",
            "calendar_url",
        ],
        "properties": {
            "id": STRING,
            "program": STRING,
            "status": enum(DelegationStatus),
            "status_reason": STRING,
            "institution": STRING,
            "province": STRING,
            "leader_name": STRING,
            "leader_title": STRING,
            "contact": {
                "type": "object",
                "required": ["name", "phone", "email"],
                "properties": {"name": STRING, "phone": STRING, "email": STRING},
            },
            "request_letter": {
                "type": "object",
                "required": ["number", "date"],
                "properties": {"number": STRING, "date": nullable(DATE)},
            },
            "arrival_notes": STRING,
            "departure_notes": STRING,
            "members": {"type": "array", "items": ref("Member")},
            "manage_url": {"type": "string", "format": "uri"},
            "calendar_url": {"type": "string", "format": "uri"},
        },
    },
    "RegistrationInput": {
        "type": "object",
        "required": [
            "institution",
            "province",
            "leader_name",
            "leader_title",
            "contact",
            "members",
        ],
        "properties": {
            "institution": {"type": "string", "maxLength": 200},
            "province": {"type": "string", "maxLength": 100},
            "leader_name": {"type": "string", "maxLength": 200},
            "leader_title": {"type": "string", "maxLength": 200},
            "contact": {
                "type": "object",
                "required": ["name", "phone", "email"],
                "properties": {
                    "name": STRING,
                    "phone": STRING,
                    "email": {"type": "string", "format": "email"},
                },
            },
            "request_letter": {
                "type": "object",
                "properties": {"number": STRING, "date": DATE},
            },
            "arrival_notes": STRING,
            "departure_notes": STRING,
            "members": {"type": "array", "items": ref("MemberInput")},
        },
    },
    "MembersInput": {
        "type": "object",
        "required": ["members"],
        "properties": {"members": {"type": "array", "items": ref("MemberInput")}},
    },
    "StatusInput": {
        "type": "object",
        "required": ["status", "reason"],
        "properties": {
            "status": enum(DelegationStatus),
            "reason": {"type": "string", "minLength": 1, "maxLength": 500},
        },
    },
}

ERRORS = {
    "400": "Malformed JSON.",
    "401": "No or wrong API token.",
    "404": "Unknown program, item, delegation, or a wrong or revoked link.",
    "409": "A conflict: the program or an item is full, registration is closed, "
    "a status change that is not allowed, a slug in use, or a concurrent change.",
    "413": "The body is larger than the server accepts.",
    "415": "The body is not application/json.",
    "422": "Invalid data; `errors` names each field by its path.",
    "429": "Too many requests from this address (or token); wait and retry (Retry-After).",
}


def error_responses(*codes: str) -> dict:
    return {
        code: {
            "description": ERRORS[code],
            "content": {"application/json": {"schema": ref("Error")}},
        }
        for code in codes
    }


def json_response(description: str, schema: dict) -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def body(name: str) -> dict:
    return {"required": True, "content": {"application/json": {"schema": ref(name)}}}


def path_parameter(name: str, description: str) -> dict:
    return {
        "name": name,
        "in": "path",
        "required": True,
        "schema": STRING,
        "description": description,
    }


SLUG = {**path_parameter("slug", "The program's slug."), "example": DEMO_SLUG}
TOKEN = path_parameter("token", "The secret of the delegation's private link.")
PUBLIC_ID = path_parameter("public_id", "The record's public id.")
STAFF = [{"bearerAuth": []}]
WRITE_ERRORS = ("400", "413", "415", "422")

PATHS = {
    "/programs": {
        "get": {
            "summary": "Published, listed programs",
            "operationId": "listPrograms",
            "responses": {
                "200": json_response(
                    "The programs, without their items.",
                    {
                        "type": "object",
                        "required": ["programs"],
                        "properties": {"programs": {"type": "array", "items": ref("Program")}},
                    },
                )
            },
        }
    },
    "/programs/{slug}": {
        "get": {
            "summary": "One program with its agenda and seats left",
            "operationId": "getProgram",
            "parameters": [SLUG],
            "responses": {
                "200": json_response("The program.", ref("Program")),
                **error_responses("404"),
            },
        }
    },
    "/programs/{slug}/registrations": {
        "post": {
            "summary": "Register a delegation",
            "description": "Same rules as the registration form. Unknown fields are ignored. "
            "A full program with a waitlist answers 201 with status `waitlisted`.",
            "operationId": "register",
            "parameters": [SLUG],
            "requestBody": body("RegistrationInput"),
            "responses": {
                "201": json_response("The delegation, with its private links.", ref("Delegation")),
                **error_responses("404", "409", *WRITE_ERRORS),
            },
        }
    },
    "/delegations/{token}": {
        "get": {
            "summary": "The delegation as its contact sees it",
            "operationId": "getDelegation",
            "parameters": [TOKEN],
            "responses": {
                "200": json_response("The delegation.", ref("Delegation")),
                **error_responses("404"),
            },
        }
    },
    "/delegations/{token}/members": {
        "put": {
            "summary": "Replace the member list",
            "description": "Members sent with their `id` keep their personal links.",
            "operationId": "replaceMembers",
            "parameters": [TOKEN],
            "requestBody": body("MembersInput"),
            "responses": {
                "200": json_response("The delegation after the change.", ref("Delegation")),
                **error_responses("404", "409", *WRITE_ERRORS),
            },
        }
    },
    "/staff/venues": {
        "post": {
            "summary": "Create a venue",
            "operationId": "createVenue",
            "security": STAFF,
            "requestBody": body("VenueInput"),
            "responses": {
                "201": json_response("The venue.", ref("Venue")),
                **error_responses("401", *WRITE_ERRORS),
            },
        }
    },
    "/staff/programs": {
        "post": {
            "summary": "Create a program (as a draft)",
            "operationId": "createProgram",
            "security": STAFF,
            "requestBody": body("ProgramInput"),
            "responses": {
                "201": json_response("The program.", ref("Program")),
                **error_responses("401", "409", *WRITE_ERRORS),
            },
        }
    },
    "/staff/programs/{slug}": {
        "patch": {
            "summary": "Change a program",
            "operationId": "updateProgram",
            "security": STAFF,
            "parameters": [SLUG],
            "requestBody": body("ProgramInput"),
            "responses": {
                "200": json_response("The program.", ref("Program")),
                **error_responses("401", "404", "409", *WRITE_ERRORS),
            },
        }
    },
    "/staff/programs/{slug}/publish": {
        "post": {
            "summary": "Publish a program (it needs at least one item)",
            "operationId": "publishProgram",
            "security": STAFF,
            "parameters": [SLUG],
            "responses": {
                "200": json_response("The published program.", ref("Program")),
                **error_responses("401", "404", "409"),
            },
        }
    },
    "/staff/programs/{slug}/items": {
        "post": {
            "summary": "Add an agenda item",
            "operationId": "createItem",
            "security": STAFF,
            "parameters": [SLUG],
            "requestBody": body("ItemInput"),
            "responses": {
                "201": json_response("The item.", ref("Item")),
                **error_responses("401", "404", *WRITE_ERRORS),
            },
        }
    },
    "/staff/items/{public_id}": {
        "patch": {
            "summary": 'Change an agenda item; {"status": "cancelled"} cancels it',
            "operationId": "updateItem",
            "security": STAFF,
            "parameters": [PUBLIC_ID],
            "requestBody": body("ItemInput"),
            "responses": {
                "200": json_response("The item.", ref("Item")),
                **error_responses("401", "404", "409", *WRITE_ERRORS),
            },
        }
    },
    "/staff/programs/{slug}/delegations": {
        "get": {
            "summary": "A program's delegations, with members",
            "operationId": "listDelegations",
            "security": STAFF,
            "parameters": [SLUG],
            "responses": {
                "200": json_response(
                    "The delegations.",
                    {
                        "type": "object",
                        "required": ["delegations"],
                        "properties": {
                            "delegations": {"type": "array", "items": ref("Delegation")}
                        },
                    },
                ),
                **error_responses("401", "404"),
            },
        }
    },
    "/staff/delegations/{public_id}/status": {
        "post": {
            "summary": "Approve, waitlist, reject or cancel a delegation, with a reason",
            "operationId": "changeDelegationStatus",
            "security": STAFF,
            "parameters": [PUBLIC_ID],
            "requestBody": body("StatusInput"),
            "responses": {
                "200": json_response("The delegation.", ref("Delegation")),
                **error_responses("401", "404", "409", *WRITE_ERRORS),
            },
        }
    },
    "/openapi.json": {
        "get": {
            "summary": "This document",
            "operationId": "openapi",
            "responses": {"200": json_response("The OpenAPI 3.1 document.", {"type": "object"})},
        }
    },
}


def _with_rate_limits(paths: dict) -> dict:
    """Every operation can answer 429 when a client goes over its rate limit."""
    return {
        path: {
            method: {**operation, "responses": {**operation["responses"], **error_responses("429")}}
            for method, operation in operations.items()
        }
        for path, operations in paths.items()
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "planner JSON API",
            "version": "1",
            "description": "Study-visit programs, delegations and their members. Times are "
            "ISO 8601 with the program's offset; ids are public ids. Error messages follow "
            "Accept-Language (Indonesian by default). Unknown fields in a body are ignored.",
        },
        "servers": [{"url": current_app.config["PLANNER_BASE_URL"] + "/api/v1"}],
        "paths": _with_rate_limits(PATHS),
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(document())
