from django.urls import path

from tirage.letters import staff_views

app_name = "letters_staff"

urlpatterns = [
    path("", staff_views.batches, name="batches"),
    path("lots/<int:pk>.pdf", staff_views.batch_pdf, name="batch_pdf"),
    path("lettres/<int:pk>.pdf", staff_views.letter_pdf, name="letter_pdf"),
]
