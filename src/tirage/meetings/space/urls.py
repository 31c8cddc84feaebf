from django.urls import path

from tirage.meetings.space import views

app_name = "member_space"

urlpatterns = [
    path("", views.home, name="home"),
    path("reunions/<int:pk>/", views.meeting, name="meeting"),
    path("reunions/<int:pk>/reponse/", views.reply, name="reply"),
    path("reunions/<int:pk>/proposer/", views.suggest, name="suggest"),
    path("reunions/<int:pk>/agenda.ics", views.meeting_calendar, name="calendar"),
    path("reglement/", views.rules, name="rules"),
    path("demission/", views.resignation, name="resign"),
]
