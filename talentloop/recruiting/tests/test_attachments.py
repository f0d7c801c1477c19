"""Files added to an application: type from the bytes, size limit, access like the application itself."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from talentloop.recruiting.models import Attachment

from .test_checks import make_application

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def upload(client: APIClient, application_pk: int, name: str, data: bytes) -> Any:
    return client.post(
        f"/api/v1/applications/{application_pk}/attachments/", {"file": SimpleUploadedFile(name, data)},
        format="multipart", HTTP_ACCEPT_LANGUAGE="en",
    )


def test_recruiter_attaches_and_downloads_a_file(org: dict[str, Any], api_as: Any) -> None:
    application = make_application(org["departments"]["sales"])
    client = api_as(org["users"]["recruiter"])
    created = upload(client, application.pk, "学历证书.pdf", PDF)
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["name"], body["uploaded_by"]) == ("学历证书.pdf", "recruiter")
    listed = client.get(f"/api/v1/applications/{application.pk}/attachments/").json()
    assert [a["name"] for a in listed] == ["学历证书.pdf"]
    download = client.get(body["url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.pdf", b"", "The file is empty."),
        ("program.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff\x00\x00\xb8" + bytes(range(256)),
         "This type of file is not accepted; attach a PDF, an Office document, an image or a text file."),
    ],
)
def test_bad_files_are_refused_and_nothing_is_stored(
    org: dict[str, Any], api_as: Any, name: str, data: bytes, message: str
) -> None:
    application = make_application(org["departments"]["sales"])
    response = upload(api_as(org["users"]["hr"]), application.pk, name, data)
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": [message]}
    assert Attachment.objects.count() == 0


def test_a_file_over_the_limit_is_refused_without_being_read(org: dict[str, Any], api_as: Any) -> None:
    application = make_application(org["departments"]["sales"])
    response = upload(api_as(org["users"]["hr"]), application.pk, "huge.png", PNG + b"\x00" * (10 * 1024 * 1024))
    assert response.status_code == 400
    assert response.json()["errors"] == {"file": ["The file is larger than 10 MB."]}


def test_only_people_who_may_see_the_application_get_its_files(org: dict[str, Any], api_as: Any) -> None:
    application = make_application(org["departments"]["rd"])
    assert upload(api_as(org["users"]["employee"]), application.pk, "a.png", PNG).status_code == 403
    assert upload(api_as(org["users"]["manager"]), application.pk, "a.png", PNG).status_code == 403
    assert upload(api_as(org["users"]["hr"]), application.pk, "a.png", PNG).status_code == 201


def test_the_application_page_lists_and_adds_files(org: dict[str, Any], client: Any) -> None:
    application = make_application(org["departments"]["sales"])
    client.force_login(org["users"]["recruiter"])
    url = reverse("recruiting:application_attachment_add", args=[application.pk])
    response = client.post(url, {"file": SimpleUploadedFile("portfolio.png", PNG)})
    assert response.status_code == 302
    page = client.get(reverse("recruiting:application_detail", args=[application.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    assert "portfolio.png" in page.content.decode()
    refused = client.post(url, {"file": SimpleUploadedFile("empty.txt", b"")}, follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert "The file is empty." in refused.content.decode()
