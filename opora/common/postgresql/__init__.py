"""Django's PostgreSQL backend with a health check that costs a busy connection no round trip (see `base`)."""
