from django.contrib import admin

from .models import ConsentText, Holiday, Membership, Organisation, RoutingRule


class RoutingRuleInline(admin.TabularInline):  # type: ignore[type-arg]
    model = RoutingRule
    extra = 0


class HolidayInline(admin.TabularInline):  # type: ignore[type-arg]
    model = Holiday
    extra = 0


class ConsentTextInline(admin.StackedInline):  # type: ignore[type-arg]
    model = ConsentText
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["name", "slug", "timezone", "auto_routing", "calendar_policy"]
    prepopulated_fields = {"slug": ["short_name"]}
    inlines = [RoutingRuleInline, HolidayInline, ConsentTextInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["user", "organisation", "role", "order_number", "order_date", "is_active"]
    list_filter = ["organisation", "role", "is_active"]
    search_fields = ["user__username", "user__last_name", "order_number"]
