"""Back-office URLs (under /gestion/)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tirage.accounts import views as accounts_views
from tirage.backoffice import counter, views

app_name = "backoffice"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # Password (with lockout), then the second factor: tirage.accounts.
    path("connexion/", accounts_views.login, name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("candidatures/liste/", views.application_list, name="application_list"),
    path("candidatures/<int:pk>/", views.application_detail, name="application_detail"),
    path("candidatures/<int:pk>/decision/", views.application_decide, name="application_decide"),
    path("candidatures/<int:pk>/secteur/", views.application_set_area, name="application_set_area"),
    path("saisie/", counter.counter_entry, name="counter"),
    path("saisie/recepisse/<int:pk>/", counter.receipt, name="receipt"),
]
