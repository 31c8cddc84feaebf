from django.urls import path

from tirage.opinions import staff_views

app_name = "opinions_staff"

urlpatterns = [
    path("", staff_views.overview, name="overview"),
    path("consultations/nouvelle/", staff_views.consultation_new, name="consultation_new"),
    path("consultations/<int:pk>/", staff_views.consultation, name="consultation"),
    path("consultations/<int:pk>/livret.pdf", staff_views.booklet, name="booklet"),
    path("consultations/<int:pk>/livret/saisie/", staff_views.booklet_entry, name="booklet_entry"),
    path("nouveau/", staff_views.opinion_new, name="opinion_new"),
    path("<int:pk>/", staff_views.opinion, name="opinion"),
    path("<int:pk>/modifier/", staff_views.opinion_edit, name="opinion_edit"),
    path("<int:pk>/nouvelle-version/", staff_views.opinion_new_version, name="opinion_new_version"),
    path("<int:pk>/vote/", staff_views.opinion_adopt, name="opinion_adopt"),
    path("<int:pk>/vote/<int:item>/feuille.pdf", staff_views.voting_sheet, name="voting_sheet"),
    path("<int:pk>/envoi/", staff_views.opinion_send, name="opinion_send"),
    path("<int:pk>/reponse/", staff_views.opinion_answers, name="opinion_answers"),
    path("<int:pk>/appreciation/", staff_views.opinion_ratings, name="opinion_ratings"),
    path("reponses/<int:pk>/courriers/", staff_views.notice_letters, name="notice_letters"),
    path("engagements/<int:pk>/", staff_views.commitment_progress, name="commitment"),
]
