from django.urls import path

from tirage.council.space import views

app_name = "member_login"

urlpatterns = [
    path("connexion/", views.login, name="login"),
    path("connexion/courriel/", views.send_link, name="send_link"),
    path("connexion/lien/<str:token>/", views.link, name="link"),
    path("deconnexion/", views.logout, name="logout"),
]
