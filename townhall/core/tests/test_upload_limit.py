"""Request bodies over the upload limit are refused from their declared length, before
anything reads them (Django's own limit leaves files out and was met only after the
whole body had been read)."""

import pytest

pytestmark = pytest.mark.django_db


class Unreadable:
    """A request body that fails the test if anything reads it."""

    def read(self, *args: object) -> bytes:
        raise AssertionError("the body was read")

    readline = read


def huge_post(client, path: str, **extra: str):
    return client.generic(
        "POST",
        path,
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(200 * 1024 * 1024),
        **{"wsgi.input": Unreadable()},
        **extra,
    )


def test_a_page_refuses_an_oversized_upload_unread_with_a_clear_page(client_for, settings):
    settings.UPLOAD_MAX_MB = 25
    response = huge_post(client_for("staff"), "/import/")
    assert response.status_code == 413
    page = response.content.decode()
    assert "The upload was not read" in page
    assert "200.0 MB, larger than the 25 MB limit" in page


def test_the_api_refuses_an_oversized_body_unread_in_json(client_for):
    response = huge_post(client_for("staff"), "/api/estate/systems/")
    assert response.status_code == 413
    assert "larger than the 25 MB limit" in response.json()["detail"]


def test_a_body_without_a_length_is_refused_rather_than_dropped(client_for):
    client = client_for("staff")
    response = client.generic(
        "POST",
        "/import/",
        b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH="",
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": Unreadable()},
    )
    assert response.status_code == 411
    assert "Content-Length" in response.content.decode()


def test_a_body_within_the_limit_goes_through(client_for, settings):
    settings.UPLOAD_MAX_MB = 1
    response = client_for("staff").post("/import/", {"kind": "system"})
    assert response.status_code == 400  # the form's own answer: no file chosen
    assert b"The upload was not read" not in response.content
