from django.contrib import admin

from tirage.audit.services import log_action
from tirage.council.models import Member, Offer


@admin.register(Offer)
class OfferAdmin(admin.ModelAdmin):
    list_display = ["receipt_code", "kind", "status", "deadline", "answered_via", "replaces"]
    list_filter = ["status", "kind"]
    readonly_fields = [f.name for f in Offer._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = [
        "application",
        "start_date",
        "end_date",
        "renewals",
        "ended_on",
        "end_reason",
        "public_consent",
    ]
    readonly_fields = ["call", "application", "offer", "replaces", "renewals", "created_at"]

    def has_add_permission(self, request):
        return False

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        log_action(
            obj,
            "member.edited",
            actor=request.user,
            data={f: str(form.cleaned_data.get(f)) for f in form.changed_data},
        )
