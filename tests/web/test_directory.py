"""The users page's directory: a page of accounts at a time, in username order."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from webhelpers import login

from ipops.accounts.directory import user_directory
from ipops.config import Settings
from ipops.paging import Page
from ipops.registry.db import make_engine
from ipops.workspace import open_workspace


def test_the_directory_pages_through_every_user_once(web_settings: Settings) -> None:
    engine = make_engine(open_workspace(web_settings).database_url)
    try:
        with Session(engine) as session:
            pages = [
                user_directory(db_session=session, page=Page(number=n, size=3))
                for n in (1, 2, 3, 4)
            ]
    finally:
        engine.dispose()
    names = [u.username for p in pages for u in p.users]
    assert len(names) == len(set(names)) == pages[0].total >= 8
    assert names == sorted(names)
    admin = next(u for p in pages for u in p.users if u.username == "admin.demo")
    assert (admin.role, admin.active) == ("platform_admin", True)
    assert admin.organisation == "知识产权运营服务平台（演示）"


def test_users_page_names_roles_in_chinese(client: TestClient) -> None:
    assert login(client, "admin.demo").status_code == 303
    page = client.get("/admin/users").text
    assert "平台管理员" in page and "platform_admin" not in page
    assert client.get("/admin/users?page=99").status_code == 200
