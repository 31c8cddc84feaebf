"""Admin for applications: search, filters, audited edits.

Applications are created only through ``submit_application`` (forms, import),
never in the admin, and never deleted (the draw relies on them). A status
change goes through ``Application.change_status``; any other change is
audited with the names of the changed fields.
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.utils.html import format_html, format_html_join

from tirage.applications.eligibility import identity_key
from tirage.applications.models import Application, AreaSource
from tirage.audit.services import history, log_action

# Changes to these fields are logged with old and new values (no personal data).
LOGGED_VALUES = ("secteur", "quartier", "area_source", "needs_review", "review_note", "street_id")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = [
        "receipt_code", "family_name", "given_name", "status", "secteur", "channel",
        "needs_review", "created_at",
    ]  # fmt: skip
    list_filter = ["call", "status", "secteur", "channel", "needs_review", "office"]
    search_fields = ["receipt_code", "family_name", "given_name"]
    readonly_fields = [
        "receipt_code", "identity_key", "call", "channel", "received_by", "created_at",
        "submission_key", "duplicate_of", "audit_history",
    ]  # fmt: skip
    list_select_related = ["call"]
    date_hierarchy = "created_at"
    fieldsets = [
        (None, {"fields": ["call", "receipt_code", "status", "status_reason", "duplicate_of"]}),
        (
            "Identité",
            {"fields": ["gender", "family_name", "given_name", "birth_date", "identity_key"]},
        ),
        (
            "Adresse et secteur",
            {
                "fields": [
                    "street_number",
                    "street_name",
                    "address_complement",
                    "postcode",
                    "commune",
                    "street_id",
                    "quartier",
                    "secteur",
                    "area_source",
                    "needs_review",
                    "review_note",
                ]  # fmt: skip
            },
        ),
        (
            "Contact",
            {"fields": ["email", "phone", "motivation", "consent_notice", "attests_residence"]},
        ),
        (
            "Dépôt",
            {
                "fields": [
                    "channel",
                    "office",
                    "received_by",
                    "received_on",
                    "created_at",
                    "submission_key",
                ]
            },
        ),
        ("Journal", {"fields": ["audit_history"]}),
    ]

    def has_add_permission(self, request):
        return False  # only through the forms and the import (submit_application)

    def has_delete_permission(self, request, obj=None):
        return False  # withdraw instead (status « retirée »)

    @admin.display(description="historique")
    def audit_history(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = [
            (f"{e.created_at:%d/%m/%Y %H:%M}", e.action, e.who, e.reason, e.data)
            for e in history(obj)
        ]
        if not rows:
            return "—"
        return format_html(
            "<table><thead><tr><th>date</th><th>action</th><th>par</th><th>motif</th><th>données</th>"
            "</tr></thead><tbody>{}</tbody></table>",
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            ),
        )

    def save_model(self, request, obj, form, change):
        if not change:  # pragma: no cover - adding is disabled
            super().save_model(request, obj, form, change)
            return
        with transaction.atomic():
            old = Application.objects.select_for_update().get(pk=obj.pk)
            new_status, new_reason = obj.status, obj.status_reason
            obj.status, obj.status_reason = old.status, old.status_reason
            changed = [f for f in form.changed_data if f not in ("status", "status_reason")]
            if "secteur" in changed and "area_source" not in changed:
                obj.area_source = AreaSource.STAFF
                changed.append("area_source")
            obj.identity_key = identity_key(obj.family_name, obj.given_name, obj.birth_date)
            obj.save()
            if changed:
                log_action(
                    obj,
                    "application.edited",
                    actor=request.user,
                    data={
                        "fields": changed,
                        "values": {
                            f: {"from": getattr(old, f), "to": getattr(obj, f)}
                            for f in changed
                            if f in LOGGED_VALUES
                        },
                    },
                )
            obj.change_status(new_status, actor=request.user, reason=new_reason)
