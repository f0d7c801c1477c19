from __future__ import annotations

from typing import Any

import pytest

from talentloop.core.pagination import IdFirstPaginator
from talentloop.core.testing.factories import DepartmentFactory, EmployeeFactory
from talentloop.org.models import Employee


@pytest.mark.django_db
def test_pages_keep_the_queryset_order_and_cover_every_row(org: dict[str, Any]) -> None:
    department = DepartmentFactory.create()
    EmployeeFactory.create_batch(23, department=department)
    queryset = Employee.objects.filter(department=department).order_by("-employee_no")
    expected = list(queryset.values_list("employee_no", flat=True))
    paginator = IdFirstPaginator(queryset, 10)
    pages = [[e.employee_no for e in paginator.page(n).object_list] for n in paginator.page_range]
    assert [len(p) for p in pages] == [10, 10, 3]
    assert [no for page in pages for no in page] == expected


@pytest.mark.django_db
def test_orphans_join_the_last_page(org: dict[str, Any]) -> None:
    department = DepartmentFactory.create()
    EmployeeFactory.create_batch(12, department=department)
    paginator = IdFirstPaginator(Employee.objects.filter(department=department).order_by("employee_no"), 10, orphans=2)
    assert paginator.num_pages == 1
    assert len(paginator.page(1).object_list) == 12
