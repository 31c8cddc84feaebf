from django.urls import path

from tirage.council import views

app_name = "council"

urlpatterns = [
    path("reponse", views.reply_start, name="reply_start"),
    path("reponse/", views.reply_start),
    path("reponse/merci/", views.reply_done, name="reply_done"),
    path("reponse/<str:code>/", views.reply, name="reply"),
    path("conseil/membres/", views.roster, name="roster"),
]
