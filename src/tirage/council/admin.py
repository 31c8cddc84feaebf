from django.contrib import admin

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
    list_display = ["application", "start_date", "end_date", "renewals", "ended_on", "end_reason", "public_consent"]
    readonly_fields = ["call", "application", "offer", "replaces", "renewals", "created_at"]

    def has_add_permission(self, request):
        return False
