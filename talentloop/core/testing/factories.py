from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import factory
from factory.django import DjangoModelFactory

from talentloop.core.models import Role, User
from talentloop.org.identity import make_id_number
from talentloop.org.models import Competency, Department, Employee, Job, JobCompetency, JobLevel


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    role = Role.EMPLOYEE
    password = factory.django.Password("pass-word-123")


class DepartmentFactory(DjangoModelFactory[Department]):
    class Meta:
        model = Department

    code = factory.Sequence(lambda n: f"D{n:03d}")
    name = factory.Sequence(lambda n: f"部门{n}")
    name_en = factory.Sequence(lambda n: f"Department {n}")


class CompetencyFactory(DjangoModelFactory[Competency]):
    class Meta:
        model = Competency
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"skill_{n}")
    name = factory.Sequence(lambda n: f"能力{n}")
    name_en = factory.Sequence(lambda n: f"Skill {n}")
    indicators: Any = factory.LazyFunction(
        lambda: [{"level": lvl, "zh": f"行为{lvl}", "en": f"Behaviour {lvl}"} for lvl in (1, 2, 3)]
    )


class JobFactory(DjangoModelFactory[Job]):
    class Meta:
        model = Job

    title = factory.Sequence(lambda n: f"职位{n}")
    department = factory.SubFactory(DepartmentFactory)
    level = factory.LazyFunction(lambda: JobLevel.objects.filter(code="mid").first())
    status = Job.Status.OPEN


class JobCompetencyFactory(DjangoModelFactory[JobCompetency]):
    class Meta:
        model = JobCompetency

    job = factory.SubFactory(JobFactory)
    competency = factory.SubFactory(CompetencyFactory)
    weight = Decimal("1.000")
    required_score = 70


class EmployeeFactory(DjangoModelFactory[Employee]):
    class Meta:
        model = Employee

    employee_no = factory.Sequence(lambda n: f"E{n:06d}")
    name = factory.Sequence(lambda n: f"员工{n}")
    gender = Employee.Gender.FEMALE
    birth_date = dt.date(1990, 1, 1)
    id_number = factory.Sequence(lambda n: make_id_number("110101", dt.date(1990, 1, 1), n, "female"))
    department = factory.SubFactory(DepartmentFactory)
    hire_date = dt.date(2020, 3, 1)
    status = Employee.Status.ACTIVE
