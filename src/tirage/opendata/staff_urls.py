from django.urls import path

from tirage.opendata import staff_views

app_name = "opendata_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("demandes/nouvelle/", staff_views.request_create, name="request_create"),
    path("demandes/<int:pk>/", staff_views.request_detail, name="request"),
    path("demandes/<int:pk>/modifier/", staff_views.request_edit, name="request_edit"),
    path(
        "demandes/<int:pk>/accepter/",
        staff_views.request_decide,
        {"decision": "accept"},
        name="request_accept",
    ),
    path(
        "demandes/<int:pk>/refuser/",
        staff_views.request_decide,
        {"decision": "refuse"},
        name="request_refuse",
    ),
    path("demandes/<int:pk>/publication/", staff_views.request_publish, name="request_publish"),
    path("demandes/<int:pk>/verification/", staff_views.request_verify, name="request_verify"),
    path("services/nouveau/", staff_views.service_create, name="service_create"),
    path("services/<int:pk>/", staff_views.service_detail, name="service"),
    path("services/<int:pk>/objectif/", staff_views.target_set, name="target_set"),
    path(
        "evaluations/<int:pk>/avis/",
        staff_views.evaluation_draft_opinion,
        name="evaluation_draft_opinion",
    ),
    path("evaluations/saisie/", staff_views.evaluation_paper, name="evaluation_paper"),
    path("indicateurs/import/", staff_views.indicators_import, name="indicators_import"),
]
