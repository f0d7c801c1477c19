"""The recruiting REST API under /api/v1/: candidates (contract, search, updates) and the application list
with its filters and a manager's reach."""

from __future__ import annotations

from typing import Any

import pytest
from rest_framework.test import APIClient

from talentloop.core.models import AuditEntry
from talentloop.core.testing.factories import DepartmentFactory
from talentloop.recruiting.models import Candidate
from talentloop.recruiting.tests import files
from talentloop.recruiting.tests._api_support import (
    LIST_KEYS,
    assert_bad_input,
    backend_job,
    created,
    iso,
    make_job,
    post_application,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("_english_api_client")]

CANDIDATE_KEYS = {"id", "name", "email", "phone", "location", "source", "consent_given_at", "language", "applications"}


# --- candidates -------------------------------------------------------------------------------------------


def test_candidate_contract_search_and_update(org: dict[str, Any], hr_api: APIClient) -> None:
    job = make_job()
    liu = created(post_application(hr_api, job, files.text_file(files.LIU_YANG), consent="true"))
    zhou = created(post_application(hr_api, job, files.text_file(files.ZHOU_MIN)))
    candidate = Candidate.objects.get(pk=liu["candidate"]["id"])
    detail = hr_api.get(f"/api/v1/candidates/{candidate.pk}/").json()
    assert set(detail) == CANDIDATE_KEYS
    assert detail == {
        "id": candidate.pk, "name": "Liu Yang", "email": "liu.yang@example.com", "phone": "13600001111",
        "location": "上海", "source": "api", "consent_given_at": iso(candidate.consent_given_at),
        "language": "zh-hans", "applications": [liu["id"]],
    }

    def names(search: str) -> list[str]:
        response = hr_api.get("/api/v1/candidates/", {"search": search})
        assert response.status_code == 200
        assert set(response.json()) == LIST_KEYS
        return [row["name"] for row in response.json()["results"]]

    assert names("") == ["周敏", "Liu Yang"]
    assert names("liu y") == ["Liu Yang"]
    assert names("EXAMPLE.CN") == ["周敏"]
    assert names("137-0000") == ["周敏"]
    assert names("+86 136 0000 1111") == ["Liu Yang"]
    assert names("nobody") == []

    updated = hr_api.patch(
        f"/api/v1/candidates/{candidate.pk}/",
        {"name": "刘洋", "phone": "+86 136-0000-9999", "language": "en", "consent_given_at": None,
         "applications": [zhou["id"]]},
        format="json",
    )
    assert updated.status_code == 200
    assert updated.json() == detail | {"name": "刘洋", "phone": "13600009999", "language": "en"}
    assert AuditEntry.objects.filter(object_type="recruiting.candidate").count() == 3
    replaced = hr_api.put(f"/api/v1/candidates/{candidate.pk}/", {"location": "杭州"}, format="json")
    assert replaced.status_code == 200
    assert replaced.json()["location"] == "杭州"
    assert replaced.json()["name"] == "刘洋"


def test_candidate_updates_keep_contacts_unique(org: dict[str, Any], hr_api: APIClient) -> None:
    job = make_job()
    created(post_application(hr_api, job, files.text_file(files.LIU_YANG)))
    zhou = created(post_application(hr_api, job, files.text_file(files.ZHOU_MIN)))["candidate"]
    url = f"/api/v1/candidates/{zhou['id']}/"
    assert_bad_input(hr_api.patch(url, {"email": "LIU.YANG@example.com"}, format="json"), "email",
                     "Another candidate already has this email address.")
    assert_bad_input(hr_api.patch(url, {"phone": "136 0000 1111"}, format="json"), "phone",
                     "Another candidate already has this phone number.")
    assert_bad_input(hr_api.patch(url, {"email": "broken"}, format="json"), "email", "Enter a valid email address.")
    assert_bad_input(hr_api.patch(url, {"source": "tv"}, format="json"), "source", '"tv" is not a valid choice.')
    assert hr_api.get(url).json()["email"] == "zhoumin@example.cn"


@pytest.mark.parametrize("pk", ["abc", "99999999999999999999", "0", "424242"])
def test_unknown_ids_are_a_404(org: dict[str, Any], hr_api: APIClient, pk: str) -> None:
    for url in (f"/api/v1/candidates/{pk}/", f"/api/v1/applications/{pk}/"):
        response = hr_api.get(url)
        assert response.status_code == 404, url


# --- the application list ---------------------------------------------------------------------------------


def test_application_list_filters(org: dict[str, Any], hr_api: APIClient) -> None:
    backend, other = backend_job(), make_job(title="Tester")
    liu = created(post_application(hr_api, backend, files.text_file(files.LIU_YANG)))
    zhou = created(post_application(hr_api, backend, files.text_file(files.ZHOU_MIN)))
    he = created(post_application(hr_api, other, files.text_file(files.HE_JING)))
    hr_api.post(f"/api/v1/applications/{zhou['id']}/transition/", {"to": "rejected"}, format="json")

    def ids(**params: Any) -> list[int]:
        response = hr_api.get("/api/v1/applications/", params)
        assert response.status_code == 200, response.content
        body = response.json()
        assert set(body) == LIST_KEYS
        assert body["count"] == len(body["results"])
        return [row["id"] for row in body["results"]]

    assert ids() == [he["id"], zhou["id"], liu["id"]]
    assert ids(job=backend.pk) == [zhou["id"], liu["id"]]
    assert ids(job=other.pk) == [he["id"]]
    assert ids(stage="rejected") == [zhou["id"]]
    assert ids(stage="applied") == [he["id"], liu["id"]]
    assert ids(job=backend.pk, stage="applied") == [liu["id"]]
    assert ids(search="周") == [zhou["id"]]
    assert ids(search="HE.JING@") == [he["id"]]
    assert ids(search="136-0000-1111") == [liu["id"]]
    assert ids(search="  ") == [he["id"], zhou["id"], liu["id"]]
    assert ids(job=424242) == []
    assert_bad_input(hr_api.get("/api/v1/applications/", {"stage": "bogus"}), "stage",
                     '"bogus" is not a valid choice.')
    assert_bad_input(hr_api.get("/api/v1/applications/", {"job": "abc"}), "job", "A valid integer is required.")


def test_a_manager_lists_only_applications_of_jobs_in_their_department_subtree(
    org: dict[str, Any], api_as: Any, hr_api: APIClient
) -> None:
    team = DepartmentFactory(code="SALES-EAST", parent=org["departments"]["sales"])
    sales_job = make_job(department=org["departments"]["sales"])
    team_job = make_job(department=team)
    rd_job = make_job(department=org["departments"]["rd"])
    own = created(post_application(hr_api, sales_job, email="a@example.com"))
    below = created(post_application(hr_api, team_job, email="b@example.com"))
    created(post_application(hr_api, rd_job, email="c@example.com"))
    manager = api_as(org["users"]["manager"])
    body = manager.get("/api/v1/applications/").json()
    assert [row["id"] for row in body["results"]] == [below["id"], own["id"]]
    assert manager.get("/api/v1/applications/", {"job": rd_job.pk}).json()["count"] == 0
