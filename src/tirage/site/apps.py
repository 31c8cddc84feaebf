from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "tirage.site"
    label = "tirage_site"
