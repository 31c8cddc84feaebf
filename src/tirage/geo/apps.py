from django.apps import AppConfig


class GeoConfig(AppConfig):
    name = "tirage.geo"
    label = "geo"
