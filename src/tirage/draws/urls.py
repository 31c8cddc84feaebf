from django.urls import path

from tirage.draws import views

app_name = "draws"

urlpatterns = [
    path("", views.announcement, name="announcement"),
    path("ma-probabilite/", views.lookup, name="lookup"),
    path("resultats/", views.results, name="results"),
    path("verifier/", views.verify, name="verify"),
    path("<int:pk>/loterie.json", views.bundle_download, name="bundle"),
    path("<int:pk>/resultat.json", views.result_download, name="result"),
]
