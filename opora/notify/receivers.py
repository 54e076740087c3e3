"""Turns timeline events into outbox rows, inside the same transaction."""
