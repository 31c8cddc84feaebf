from django.urls import path

from tirage.opinions import views

app_name = "opinions"

urlpatterns = [
    path("avis/", views.opinion_list, name="list"),
    path("avis/<int:pk>/", views.opinion_detail, name="opinion"),
    path("avis/<int:pk>.pdf", views.opinion_pdf_view, name="opinion_pdf"),
    path("consultations/", views.consultation_list, name="consultations"),
    path("consultations/<int:pk>/", views.consultation_detail, name="consultation"),
]
