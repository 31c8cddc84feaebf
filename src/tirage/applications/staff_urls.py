"""Staff URLs for importing and exporting applications (under /gestion/candidatures/).

Each page exists for the current call (the latest one) and for a given call
slug: ``reverse("applications_staff:export")`` or
``reverse("applications_staff:export", kwargs={"slug": call.slug})``.
"""

from django.urls import path

from tirage.applications import staff_views as views

app_name = "applications_staff"

urlpatterns = [
    path("importer/", views.import_view, name="import"),
    path("<slug:slug>/importer/", views.import_view, name="import"),
    path("modele-import.csv", views.import_template_view, name="import_template"),
    path("exporter/", views.export_view, name="export"),
    path("<slug:slug>/exporter/", views.export_view, name="export"),
    path("statistiques.csv", views.export_stats_view, name="export_stats"),
    path("<slug:slug>/statistiques.csv", views.export_stats_view, name="export_stats"),
]
