"""Public application form URLs (under /candidater/)."""

from django.urls import path

from tirage.applications import paper

app_name = "applications"

urlpatterns: list = [
    path("formulaire-papier.pdf", paper.paper_form_pdf, name="paper_form"),
]
