"""Admin for consultations, opinions, answers and commitments: read-only.

Every change goes through ``tirage.opinions.services`` (checks, French
errors, audit trail); an adopted text is never edited. The admin shows the
rows for support and never adds, edits or deletes them.
"""

from __future__ import annotations

from django.contrib import admin

from tirage.opinions.models import (
    Answer,
    AnswerNotice,
    CityResponse,
    Commitment,
    CommitmentUpdate,
    Consultation,
    ConsultationDocument,
    Contribution,
    Opinion,
    OpinionVersion,
    Question,
    Rating,
    Recommendation,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """View-only: state changes go through the services."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class QuestionInline(ReadOnlyInline):
    model = Question
    fields = ["number", "text"]


class DocumentInline(ReadOnlyInline):
    model = ConsultationDocument
    fields = ["title", "url", "file"]


@admin.register(Consultation)
class ConsultationAdmin(ReadOnlyAdmin):
    list_display = ["title", "call", "stage", "opened_on", "deadline", "working_group"]
    list_filter = ["call", "stage"]
    search_fields = ["title", "service"]
    inlines = [QuestionInline, DocumentInline]


@admin.register(Contribution)
class ContributionAdmin(ReadOnlyAdmin):
    list_display = ["consultation", "question", "member", "source", "received_on", "late"]
    list_filter = ["source", "late", "consent_to_quote"]


class VersionInline(ReadOnlyInline):
    model = OpinionVersion
    fields = ["number", "state", "decision", "summary"]


@admin.register(Opinion)
class OpinionAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "number", "state", "sent_on", "answered_on", "call"]
    list_filter = ["call", "kind", "state"]
    search_fields = ["title"]
    inlines = [VersionInline]


class RecommendationInline(ReadOnlyInline):
    model = Recommendation
    fields = ["number", "text"]


@admin.register(OpinionVersion)
class OpinionVersionAdmin(ReadOnlyAdmin):
    list_display = ["opinion", "number", "state", "decision"]
    list_filter = ["state"]
    inlines = [RecommendationInline]


class AnswerInline(ReadOnlyInline):
    model = Answer
    fields = ["recommendation", "status", "reasons", "service"]


@admin.register(CityResponse)
class CityResponseAdmin(ReadOnlyAdmin):
    list_display = ["opinion", "received_on", "reference", "recorded_at"]
    inlines = [AnswerInline]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "status", "service", "response"]
    list_filter = ["status"]


@admin.register(AnswerNotice)
class AnswerNoticeAdmin(ReadOnlyAdmin):
    list_display = ["response", "member", "channel", "created_at", "delivered_at"]
    list_filter = ["channel"]


@admin.register(Rating)
class RatingAdmin(ReadOnlyAdmin):
    list_display = ["answer", "verdict", "decision"]
    list_filter = ["verdict"]


class UpdateInline(ReadOnlyInline):
    model = CommitmentUpdate
    fields = ["on", "progress", "text", "links"]


@admin.register(Commitment)
class CommitmentAdmin(ReadOnlyAdmin):
    list_display = ["recommendation", "service", "due_on", "progress", "completed_on"]
    inlines = [UpdateInline]


@admin.register(CommitmentUpdate)
class CommitmentUpdateAdmin(ReadOnlyAdmin):
    list_display = ["commitment", "on", "progress"]
