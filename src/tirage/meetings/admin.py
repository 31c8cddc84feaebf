"""Admin for the council's life: the rules are edited here (audited); everything else is read-only.

Meetings, attendance, decisions, minutes and absence cases change state only
through ``tirage.meetings.services`` (checks, audit trail): the admin shows
them for support and never adds, edits or deletes them.
"""

from __future__ import annotations

from django.contrib import admin

from tirage.meetings.models import (
    AbsenceCase,
    Acknowledgement,
    AgendaItem,
    AgendaSuggestion,
    Amendment,
    Attendance,
    Convocation,
    Decision,
    GroupMembership,
    Meeting,
    Minutes,
    Rules,
    RulesDocument,
    WorkingGroup,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: state changes go through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Rules)
class RulesAdmin(admin.ModelAdmin):
    list_display = [
        "call",
        "quorum_numerator",
        "quorum_denominator",
        "quorum_more_than",
        "majority_base",
        "absence_limit",
        "notice_days",
    ]
    readonly_fields = ["call", "updated_at"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Through ``Rules.update``: locked, validated, audited with before and after values.
        values = {
            name: form.cleaned_data[name] for name in form.changed_data if name in Rules.EDITABLE
        }
        Rules.objects.get(pk=obj.pk).update(actor=request.user, **values)


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0
    can_delete = False
    readonly_fields = ["order", "title", "kind", "description", "presenter"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "starts_at", "state", "call"]
    list_filter = ["call", "kind", "state"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    inlines = [AgendaItemInline]


@admin.register(WorkingGroup)
class WorkingGroupAdmin(ReadOnlyAdmin):
    list_display = ["name", "call", "rapporteur", "created_on", "closed_on"]


@admin.register(GroupMembership)
class GroupMembershipAdmin(ReadOnlyAdmin):
    list_display = ["group", "member", "joined_on", "left_on"]
    list_filter = ["group"]


@admin.register(AgendaSuggestion)
class AgendaSuggestionAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "member", "source", "status"]
    list_filter = ["status", "source"]


@admin.register(Convocation)
class ConvocationAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "member", "created_at", "late", "delivered_at"]
    list_filter = ["late"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "member", "reply", "status", "proxy_to", "status_source"]
    list_filter = ["status", "reply"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ["title", "meeting", "method", "outcome", "voters", "votes_for", "votes_against"]
    list_filter = ["outcome", "method"]


@admin.register(Minutes)
class MinutesAdmin(ReadOnlyAdmin):
    list_display = ["meeting", "state", "sent_at", "approved_at", "published_at"]
    list_filter = ["state"]


@admin.register(Amendment)
class AmendmentAdmin(ReadOnlyAdmin):
    list_display = ["minutes", "member", "source", "status", "submitted_at"]


@admin.register(AbsenceCase)
class AbsenceCaseAdmin(ReadOnlyAdmin):
    list_display = ["member", "state", "opened_at", "letter_sent_at", "reply_until"]
    list_filter = ["state"]


@admin.register(RulesDocument)
class RulesDocumentAdmin(ReadOnlyAdmin):
    list_display = ["title", "version", "adopted_on", "call"]


@admin.register(Acknowledgement)
class AcknowledgementAdmin(ReadOnlyAdmin):
    list_display = ["document", "member", "source", "acknowledged_at"]
    list_filter = ["source"]
