from django.urls import path

from tirage.opinions import space

app_name = "opinions_space"

urlpatterns = [
    path("consultations/", space.consultations, name="consultations"),
    path("consultations/<int:pk>/", space.contribute_view, name="contribute"),
    path("propositions/nouvelle/", space.propose_view, name="propose"),
]
