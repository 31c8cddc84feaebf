"""Admin: staff edit letter texts (each save is a new version) and preview them as PDF."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html

from tirage.audit.services import log_action
from tirage.letters import services
from tirage.letters.models import Batch, Letter, LetterSettings, LetterTemplate

LETTER_FIELDS = ("receipt_code", "kind", "template", "first_page", "pages", "emailed_at", "sha256")


@admin.register(LetterSettings)
class LetterSettingsAdmin(admin.ModelAdmin):
    list_display = ["call", "signatory_name", "signatory_title", "reply_days"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_action(
            obj, "letter_settings.saved", actor=request.user, data={"fields": form.changed_data}
        )


@admin.register(LetterTemplate)
class LetterTemplateAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "call",
        "version",
        "subject",
        "created_at",
        "created_by",
        "preview_link",
    ]
    list_filter = ["call", "kind"]
    readonly_fields = ["version", "created_at", "created_by", "preview_link"]
    fields = [
        "call",
        "kind",
        "subject",
        "body",
        "version",
        "created_at",
        "created_by",
        "preview_link",
    ]
    actions = ["preview"]

    def get_readonly_fields(self, request, obj=None):
        # The call and kind of an existing version stay; only the texts change (into a new version).
        return [*self.readonly_fields, "call", "kind"] if obj else self.readonly_fields

    @admin.display(description="aperçu")
    def preview_link(self, obj):
        if not obj or not obj.pk:
            return "—"
        return format_html(
            '<a href="{}">Aperçu PDF</a>',
            reverse("admin:letters_lettertemplate_preview", args=[obj.pk]),
        )

    def save_model(self, request, obj, form, change):
        if change:
            # Editing never changes a version that letters may refer to: it saves the next version.
            new = services.save_new_version(
                LetterTemplate.objects.get(pk=obj.pk),
                subject=obj.subject,
                body=obj.body,
                actor=request.user,
            )
            obj.pk, obj.version = new.pk, new.version
            messages.info(request, f"Nouvelle version enregistrée : v{new.version}.")
            return
        latest = (
            LetterTemplate.objects.filter(call=obj.call, kind=obj.kind).order_by("-version").first()
        )
        obj.version = (latest.version + 1) if latest else 1
        obj.created_by = request.user
        super().save_model(request, obj, form, change)
        log_action(
            obj,
            "letter_template.saved",
            actor=request.user,
            data={"kind": obj.kind, "version": obj.version},
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/apercu.pdf",
                self.admin_site.admin_view(self.preview_view),
                name="letters_lettertemplate_preview",
            ),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk: int):
        if not self.has_view_permission(request):
            from django.core.exceptions import PermissionDenied

            raise PermissionDenied
        template = get_object_or_404(LetterTemplate, pk=pk)
        response = HttpResponse(services.sample_pdf(template), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'inline; filename="apercu-{template.kind}-v{template.version}.pdf"'
        )
        return response

    @admin.action(description="Aperçu PDF (première version sélectionnée)")
    def preview(self, request, queryset):
        return self.preview_view(request, queryset.order_by("-version").first().pk)


class LetterInline(admin.TabularInline):
    model = Letter
    extra = 0
    can_delete = False
    fields = LETTER_FIELDS
    readonly_fields = LETTER_FIELDS

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ["id", "label", "call", "created_at", "pages", "merged_path"]
    readonly_fields = [
        "call",
        "label",
        "created_at",
        "created_by",
        "merged_path",
        "merged_sha256",
        "pages",
        "purged_at",
    ]
    inlines = [LetterInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
