"""The registry's JSON endpoints (django-ninja routers), mounted by the project at /api/registry/v1/."""
