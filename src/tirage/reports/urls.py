from django.urls import path

from tirage.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("<int:pk>/rapport.pdf", views.report_pdf_file, name="pdf"),
    path("<int:pk>/indicateurs.csv", views.report_csv_file, name="csv"),
]
