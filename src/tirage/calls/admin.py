from django.contrib import admin

from tirage.calls.models import Call, Feature, FeatureValue, Office


class FeatureValueInline(admin.TabularInline):
    model = FeatureValue
    extra = 0


@admin.register(Feature)
class FeatureAdmin(admin.ModelAdmin):
    list_display = ["label", "key", "call", "source"]
    list_filter = ["call"]
    inlines = [FeatureValueInline]


class FeatureInline(admin.TabularInline):
    model = Feature
    extra = 0
    show_change_link = True


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["council_name", "city_name", "seats", "opens_at", "closes_at", "draw_date"]
    inlines = [FeatureInline]
    filter_horizontal = ["offices"]


@admin.register(Office)
class OfficeAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "secteur", "address"]
