from django.urls import path

from tirage.council import staff_views

app_name = "council_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("courriers/", staff_views.produce_letters, name="produce_letters"),
    path("courriers/relancer/", staff_views.restart_letters, name="restart_letters"),
    path("propositions/<int:pk>/", staff_views.offer_detail, name="offer"),
    path("propositions/<int:pk>/reponse/", staff_views.record_answer, name="record_answer"),
    path("propositions/<int:pk>/renvoyer/", staff_views.reissue, name="reissue"),
    path("installation/", staff_views.install, name="install"),
    path("membres/<int:pk>/", staff_views.member_detail, name="member"),
    path("membres/<int:pk>/renouveler/", staff_views.renew, name="renew"),
]
