from django.core.exceptions import ValidationError


class ServiceError(ValidationError):
    """A refused write, with a message for people (Russian by default) and the field it concerns."""
