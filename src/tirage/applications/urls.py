"""Public application form URLs (under /candidater/)."""

from django.urls import path

from tirage.applications import paper, views

app_name = "applications"

urlpatterns = [
    path("", views.start, name="start"),
    path("secteur/", views.area, name="area"),
    path("verifier/", views.review, name="review"),
    path("confirmation/", views.confirmation, name="confirmation"),
    path("formulaire-papier.pdf", paper.paper_form_pdf, name="paper_form"),
]
