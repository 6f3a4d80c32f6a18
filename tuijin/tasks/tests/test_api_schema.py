"""The API describes itself at /api/v1/openapi.json, readable without a token and without the internet."""

EXPECTED_PATHS = {
    "/api/v1/plans": {"get"},
    "/api/v1/tasks": {"get"},
    "/api/v1/tasks/{code}": {"get"},
    "/api/v1/tasks/{code}/reports": {"post"},
    "/api/v1/tasks/{code}/acknowledge": {"post"},
    "/api/v1/tasks/{code}/request-closure": {"post"},
    "/api/v1/tasks/{code}/close": {"post"},
    "/api/v1/tasks/{code}/return": {"post"},
    "/api/v1/tasks/{code}/extensions": {"post"},
    "/api/v1/extensions/{extension_id}/decision": {"post"},
}


def test_it_serves_the_openapi_document_listing_every_path(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["info"]["title"] == "Tuijin API"
    assert {
        path: set(ops) for path, ops in schema["paths"].items() if path in EXPECTED_PATHS
    } == EXPECTED_PATHS
    assert "BearerToken" in schema["components"]["securitySchemes"]


def test_it_documents_json_and_multipart_bodies_for_reports(client, db):
    operation = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/tasks/{code}/reports"]["post"]
    content = operation["requestBody"]["content"]
    assert set(content) == {"application/json", "multipart/form-data"}
    assert content["multipart/form-data"]["schema"]["properties"]["files"]["items"]["format"] == "binary"
    assert set(operation["responses"]) >= {"201", "403", "404", "409", "422"}


def test_it_serves_the_docs_page_from_local_static_files_only(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn." not in page
    assert "/static/ninja/" in page


def test_it_names_each_set_of_choices_apart(client, db):
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schemas["PlanKind"]["enum"] == ["annual", "event", "decisions", "practical"]
    assert schemas["EvidenceKind"]["enum"] == ["photo", "pdf", "word", "excel"]
    assert schemas["TaskState"]["enum"] == ["assigned", "in_progress", "closure_requested", "closed"]
