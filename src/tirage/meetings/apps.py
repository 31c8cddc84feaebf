from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "tirage.meetings"
    verbose_name = "Vie du conseil (réunions, présences, décisions)"
