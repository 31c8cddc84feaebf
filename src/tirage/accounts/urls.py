"""Second-factor steps of the staff sign-in (under /gestion/); the login page is ``backoffice:login``."""

from django.urls import path

from tirage.accounts import views

app_name = "accounts"

urlpatterns = [
    path("connexion/code/", views.verify, name="verify"),
    path("connexion/application/", views.enrol, name="enrol"),
    path("securite/", views.security, name="security"),
]
