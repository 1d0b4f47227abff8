"""Writes an OpenAPI 3.0 document of 1,000 operations to stdout, for
benches/openapi/run.sh: 250 resources, each a listing with a date window and a cursor
(a synced row), its item GET, PATCH and DELETE (the row's verbs), each with its own
record schema of a dozen fields (dates, numbers, a nullable field, a nested object)."""
import json

RESOURCES = 250
paths, schemas = {}, {}
for i in range(RESOURCES):
    name = f"metric{i:03d}"
    record = f"Metric{i:03d}"
    schemas[record] = {
        "type": "object",
        "required": ["id", "day"],
        "properties": {
            "id": {"type": "string"},
            "day": {"type": "string", "format": "date"},
            "recorded_at": {"type": "string", "format": "date-time"},
            "value": {"type": "number"},
            "count": {"type": "integer"},
            "note": {"type": "string", "nullable": True},
            "source": {"type": "string", "enum": ["device", "manual"]},
            "tags": {"type": "array", "items": {"type": "string"}},
            "detail": {
                "type": "object",
                "properties": {"min": {"type": "number"}, "max": {"type": "number"}, "unit": {"type": "string"}},
            },
        },
    }
    item = {"$ref": f"#/components/schemas/{record}"}
    paths[f"/v1/{name}"] = {
        "get": {
            "operationId": f"list_{name}",
            "parameters": [
                {"name": "start_date", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "end_date", "in": "query", "schema": {"type": "string", "format": "date"}},
                {"name": "next_token", "in": "query", "schema": {"type": "string"}},
            ],
            "responses": {"200": {"description": "ok", "content": {"application/json": {"schema": {
                "type": "object",
                "properties": {"data": {"type": "array", "items": item}, "next_token": {"type": "string", "nullable": True}},
            }}}}},
        }
    }
    one = {"200": {"description": "ok", "content": {"application/json": {"schema": item}}}}
    param = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
    paths[f"/v1/{name}/{{id}}"] = {
        "get": {"operationId": f"get_{name}", "parameters": param, "responses": one},
        "patch": {"operationId": f"update_{name}", "parameters": param, "responses": one},
        "delete": {"operationId": f"delete_{name}", "parameters": param, "responses": {"204": {"description": "gone"}}},
    }
doc = {
    "openapi": "3.0.3",
    "info": {"title": "Bench", "version": "1"},
    "servers": [{"url": "https://api.bench.example"}],
    "paths": paths,
    "components": {
        "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        "schemas": schemas,
    },
}
print(json.dumps(doc, indent=1))
