"""The staff sign-in (under /gestion/): password, second factor, sign-out, account security."""

from django.urls import path

from tirage.accounts import views

app_name = "accounts"

urlpatterns = [
    # Password (with lockout), then the second factor.
    path("connexion/", views.login, name="login"),
    path("deconnexion/", views.logout, name="logout"),
    path("connexion/code/", views.verify, name="verify"),
    path("connexion/application/", views.enrol, name="enrol"),
    path("securite/", views.security, name="security"),
]
