from django.urls import path

from tirage.reports import staff_views

app_name = "reports_staff"

urlpatterns = [
    path("", staff_views.report_list, name="list"),
    path("<int:pk>/", staff_views.report_detail, name="detail"),
    path("<int:pk>/apercu.pdf", staff_views.report_preview, name="preview"),
    path("<int:pk>/adopter/", staff_views.report_adopt, name="adopt"),
]
