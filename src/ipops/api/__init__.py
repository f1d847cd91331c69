"""The REST API (FastAPI): ``create_app`` composes the domain routers under ``/api/v1``."""
