"""The Content-Security-Policy allows no inline script and no <style> element, so no template may carry one:
JavaScript lives in static files and reads its data from json_script or data- attributes."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tuijin.conftest import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = sorted(p for p in ROOT.rglob("templates/**/*.html") if "node_modules" not in p.parts)

FORBIDDEN = {
    "inline <script>": re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "on*= attribute": re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE),
    "hx-on": re.compile(r"\bhx-on\b", re.IGNORECASE),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
    "js: expression for htmx": re.compile(
        r"""hx-(?:vals|vars)\s*=\s*['"]\s*(?:js|javascript):""", re.IGNORECASE
    ),
    "<style> element": re.compile(r"<style\b", re.IGNORECASE),
}


def test_it_finds_the_templates():
    assert len(TEMPLATES) > 40
    assert ROOT / "templates" / "base.html" in TEMPLATES


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_template_runs_inline_code(template):
    text = template.read_text(encoding="utf-8")
    found = [
        f"{what}: {m.group(0)[:80]}" for what, pattern in FORBIDDEN.items() for m in pattern.finditer(text)
    ]
    assert found == []


@pytest.mark.django_db
def test_the_rendered_pages_carry_only_data_scripts(client, task, sup):
    client.login(username=sup.username, password=PASSWORD)
    for url in (reverse("home"), reverse("task_list"), reverse("task_detail", args=[task.code]), reverse("cockpit"),
                reverse("cockpit") + "?wall=1"):  # fmt: skip
        page = client.get(url).content.decode()
        for tag in re.findall(r"<script\b[^>]*>", page):
            assert "src=" in tag or 'type="application/json"' in tag, (url, tag)
