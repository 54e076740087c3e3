from django.dispatch import Signal

# Sent inside the transaction that wrote the event, so receivers (the notification
# outbox) write their rows atomically with the change. Arguments: event, context.
event_recorded = Signal()
