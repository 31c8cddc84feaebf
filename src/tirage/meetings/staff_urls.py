from django.urls import path

from tirage.meetings import staff_views as v

app_name = "meetings_staff"

urlpatterns = [
    path("reunions/", v.meeting_list, name="meetings"),
    path("reunions/nouvelle/", v.meeting_new, name="meeting_new"),
    path("reunions/<int:pk>/", v.meeting_detail, name="meeting"),
    path("reunions/<int:pk>/modifier/", v.meeting_edit, name="meeting_edit"),
    path("reunions/<int:pk>/convoquer/", v.meeting_convene, name="meeting_convene"),
    path("reunions/<int:pk>/annuler/", v.meeting_cancel, name="meeting_cancel"),
    path("reunions/<int:pk>/ordre-du-jour/", v.agenda_add, name="agenda_add"),
    path("reunions/<int:pk>/ordre-du-jour/<int:item>/rang/", v.agenda_move, name="agenda_move"),
    path(
        "reunions/<int:pk>/ordre-du-jour/<int:item>/retirer/", v.agenda_remove, name="agenda_remove"
    ),
    path(
        "reunions/<int:pk>/propositions/<int:suggestion>/",
        v.suggestion_answer,
        name="suggestion_answer",
    ),
    path("reunions/<int:pk>/presences/", v.register, name="register"),
    path("reunions/<int:pk>/presences/clore/", v.register_close, name="register_close"),
    path("reunions/<int:pk>/feuille-de-presence.pdf", v.sign_in_sheet, name="sign_in_sheet"),
    path("reunions/<int:pk>/decisions/<int:item>/", v.decision_new, name="decision_new"),
    path("reunions/<int:pk>/compte-rendu/", v.minutes_edit, name="minutes_edit"),
    path("reunions/<int:pk>/compte-rendu/suite/", v.minutes_action, name="minutes_action"),
    path("reunions/<int:pk>/compte-rendu.pdf", v.minutes_pdf, name="minutes_pdf"),
    path("reunions/<int:pk>/approbation/", v.minutes_approve, name="minutes_approve"),
    path("regles/", v.settings_page, name="settings"),
    path("reglement/nouveau/", v.rules_document_new, name="rules_document_new"),
    path("reglement/<int:pk>/", v.rules_document, name="rules_document"),
    path("groupes/", v.group_list, name="groups"),
    path("groupes/<int:pk>/", v.group_detail, name="group"),
    path("absences/", v.absence_list, name="absences"),
    path("absences/<int:pk>/", v.absence_action, name="absence_action"),
]
