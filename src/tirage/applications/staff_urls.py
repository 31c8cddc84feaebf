"""Staff URLs of the applications (under /gestion/): dashboard, list, detail, decisions,
counter entry, import and export.

Import and export exist for the current call and for a given call slug:
``reverse("applications_staff:export")`` or
``reverse("applications_staff:export", kwargs={"slug": call.slug})``.
"""

from django.urls import path

from tirage.applications import counter, spreadsheet_views, staff_views

app_name = "applications_staff"

urlpatterns = [
    path("", staff_views.dashboard, name="dashboard"),
    path("candidatures/liste/", staff_views.application_list, name="list"),
    path("candidatures/<int:pk>/", staff_views.application_detail, name="detail"),
    path("candidatures/<int:pk>/decision/", staff_views.application_decide, name="decide"),
    path("candidatures/<int:pk>/secteur/", staff_views.application_set_area, name="set_area"),
    path("candidatures/rafales/", staff_views.form_bursts, name="bursts"),
    path("saisie/", counter.counter_entry, name="counter"),
    path("saisie/recepisse/<int:pk>/", counter.receipt, name="receipt"),
    path("candidatures/importer/", spreadsheet_views.import_view, name="import"),
    path("candidatures/<slug:slug>/importer/", spreadsheet_views.import_view, name="import"),
    path(
        "candidatures/modele-import.csv",
        spreadsheet_views.import_template_view,
        name="import_template",
    ),
    path("candidatures/exporter/", spreadsheet_views.export_view, name="export"),
    path("candidatures/<slug:slug>/exporter/", spreadsheet_views.export_view, name="export"),
    path("candidatures/statistiques.csv", spreadsheet_views.export_stats_view, name="export_stats"),
    path(
        "candidatures/<slug:slug>/statistiques.csv",
        spreadsheet_views.export_stats_view,
        name="export_stats",
    ),
]
