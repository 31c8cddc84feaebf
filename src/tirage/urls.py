from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("gestion/candidatures/", include("tirage.applications.staff_urls")),
    path("gestion/tirage/", include("tirage.draws.staff_urls")),
    path("gestion/", include("tirage.backoffice.urls")),
    path("tirage/", include("tirage.draws.urls")),
    path("candidater/", include("tirage.applications.urls")),
    path("", include("tirage.site.urls")),
]
