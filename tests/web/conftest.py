"""Fixtures of the web tests: one workspace and app for the session, a fresh client per test."""

from __future__ import annotations

from pathlib import Path

import pytest
from demoworld import run_temp_folder, shared_demo_world
from fastapi import FastAPI
from fastapi.testclient import TestClient
from webhelpers import build_workspace

from ipops.api.app import create_app
from ipops.config import Settings


@pytest.fixture(scope="session")
def web_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return build_workspace(tmp_path_factory.mktemp("web") / "workspace")


@pytest.fixture(scope="session")
def web_app(web_settings: Settings) -> FastAPI:
    return create_app(web_settings)


@pytest.fixture
def client(web_app: FastAPI) -> TestClient:
    """A browser-like client without cookies (not logged in, no language chosen)."""
    return TestClient(web_app)


@pytest.fixture
def workspace_root(web_settings: Settings) -> Path:
    return web_settings.resolved_home()


DemoWorld = tuple[Settings, dict[str, str], list[str]]


@pytest.fixture(scope="session")
def demo_world(tmp_path_factory: pytest.TempPathFactory) -> DemoWorld:
    """The demo-like workspace (``demoworld``), built once per test run and copied for each
    test process: (settings, demo passwords, corpus texts shown as filed)."""
    run_temp = run_temp_folder(tmp_path_factory.getbasetemp())
    return shared_demo_world(run_temp, tmp_path_factory.mktemp("demo") / "ws")
