from django.urls import path

from tirage.draws import staff_views

app_name = "draws_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("geler/", staff_views.freeze, name="freeze"),
    path("calculer/", staff_views.prepare, name="prepare"),
    path("<int:pk>/relancer/", staff_views.restart, name="restart"),
    path("<int:pk>/publier/", staff_views.commit, name="commit"),
    path("<int:pk>/nouveau-tirage/", staff_views.redraw, name="redraw"),
    path("<int:pk>/ceremonie/", staff_views.ceremony, name="ceremony"),
    path("<int:pk>/proces-verbal/", staff_views.minutes, name="minutes"),
    path("<int:pk>/proces-verbal.pdf", staff_views.minutes_pdf, name="minutes_pdf"),
]
