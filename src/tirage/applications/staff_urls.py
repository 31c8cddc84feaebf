"""Staff URLs for importing and exporting applications (under /gestion/candidatures/)."""

from django.urls import path

app_name = "applications_staff"

urlpatterns: list = []
