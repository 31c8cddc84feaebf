"""Public application form URLs (under /candidater/)."""

from django.urls import path

app_name = "applications"

urlpatterns: list = []
