from django.urls import path

from tirage.meetings import public_views as v

app_name = "meetings"

urlpatterns = [
    path("", v.home, name="home"),
    path("reunions.ics", v.feed, name="feed"),
    path("reunions/<int:pk>/", v.meeting, name="meeting"),
    path("reunions/<int:pk>/reunion.ics", v.meeting_calendar, name="meeting_ics"),
    path("reunions/<int:pk>/compte-rendu.pdf", v.minutes_pdf, name="minutes_pdf"),
]
