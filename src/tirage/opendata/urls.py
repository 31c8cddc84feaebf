from django.urls import path

from tirage.opendata import api, views

app_name = "opendata"

urlpatterns = [
    path("", views.home, name="home"),
    path("services/<slug:slug>/", views.service, name="service"),
    path("services/<slug:slug>/graphiques/<slug:chart>.svg", views.chart_svg, name="chart"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("catalogue.jsonld", views.catalogue, name="catalogue"),
    path("schemas/", views.schemas, name="schemas"),
    path(
        "schemas/<slug:owner>/<slug:name>/<str:version>/schema.json",
        views.schema_file,
        name="schema",
    ),
    path("api/", api.index, name="api"),
    path("api/<slug:name>/", api.resource, name="api_resource"),
    path("<slug:name>.<str:extension>", views.resource_file, name="file"),
]
