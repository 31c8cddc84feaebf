from django.contrib import admin
from django.urls import include, path

from tirage.accounts.views import admin_login
from tirage.ops.views import health

urlpatterns = [
    path("health/", health, name="health"),
    path("admin/login/", admin_login),  # the staff login asks for both factors
    path("admin/", admin.site.urls),
    path("gestion/", include("tirage.accounts.urls")),
    path("gestion/", include("tirage.applications.staff_urls")),
    path("gestion/tirage/", include("tirage.draws.staff_urls")),
    path("tirage/", include("tirage.draws.urls")),
    path("candidater/", include("tirage.applications.urls")),
    path("gestion/conseil/", include("tirage.council.staff_urls")),
    path("gestion/conseil/", include("tirage.meetings.staff_urls")),
    path("gestion/courriers/", include("tirage.letters.staff_urls")),
    path("gestion/avis/", include("tirage.opinions.staff_urls")),
    path("gestion/rapport-activite/", include("tirage.reports.staff_urls")),
    path("conseil/rapports-activite/", include("tirage.reports.urls")),
    path("conseil/", include("tirage.meetings.urls")),
    path("espace-membre/", include("tirage.council.space.urls")),
    path("espace-membre/", include("tirage.meetings.space.urls")),
    path("espace-membre/", include("tirage.opinions.space_urls")),
    path("donnees-ouvertes/", include("tirage.opendata.urls")),
    path("gestion/donnees-ouvertes/", include("tirage.opendata.staff_urls")),
    path("", include("tirage.council.urls")),
    path("", include("tirage.opinions.urls")),
    path("", include("tirage.site.urls")),
]

# In the staff area, a refused or missing page keeps the staff shell (backoffice.shell).
handler403 = "tirage.backoffice.shell.permission_denied"
handler404 = "tirage.backoffice.shell.page_not_found"
