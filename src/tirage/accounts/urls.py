"""The staff sign-in (under /gestion/): password, second factor, sign-out, account security."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tirage.accounts import views

app_name = "accounts"

urlpatterns = [
    # Password (with lockout), then the second factor.
    path("connexion/", views.login, name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("connexion/code/", views.verify, name="verify"),
    path("connexion/application/", views.enrol, name="enrol"),
    path("securite/", views.security, name="security"),
]
