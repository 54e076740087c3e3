from django.dispatch import Signal

# Sent inside the transaction that wrote the event, so receivers (the notification
# outbox) write their rows atomically with the change. Arguments: event, context.
event_recorded = Signal()

# The watcher's batch of clock events, written with one INSERT. Argument: events.
events_recorded = Signal()
