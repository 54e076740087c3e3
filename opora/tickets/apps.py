from django.apps import AppConfig


class TicketsConfig(AppConfig):
    name = "opora.tickets"
    verbose_name = "Обращения"
