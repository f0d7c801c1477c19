from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitingConfig(AppConfig):
    name = "talentloop.recruiting"
    label = "recruiting"
    verbose_name = _("Recruiting")

    def ready(self) -> None:
        # The employee profile shows how the employee was hired (resume, screening, checks, offer).
        from talentloop.org.profile import register_profile_section

        from .services.hire import recruiting_profile_section

        register_profile_section("recruiting", recruiting_profile_section)
