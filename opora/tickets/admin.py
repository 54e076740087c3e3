from django.contrib import admin

from .models import Ticket, TicketEvent


class ReadOnlyAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """People work in the workspace; the admin only lets an administrator look."""

    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Ticket)
class TicketAdmin(ReadOnlyAdmin):
    list_display = ["number", "organisation", "request_type", "state", "received_at"]
    list_filter = ["organisation", "state", "request_type"]
    search_fields = ["number"]


@admin.register(TicketEvent)
class TicketEventAdmin(ReadOnlyAdmin):
    list_display = ["ticket", "kind", "at", "actor_label"]
    list_filter = ["kind"]
