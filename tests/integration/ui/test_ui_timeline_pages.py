"""The officer timeline page on both databases: each role's page holds only its sections (absent
from the markup, not hidden), the kind filter works with and without htmx, names and notes are
escaped, and the profile links to it."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from evaluation_ui_support import signed
from ui_support import open_client

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "services"))

from timeline_support import EVIL_NAME, MARKUP, Career, build_career  # noqa: E402

from confianza.app.bootstrap import Container  # noqa: E402
from confianza.core.web import strings
from confianza.core.web.strings import timeline as strings_timeline
from conftest import FakeClock  # noqa: E402

SECTION = strings_timeline.TIMELINE_SECTION
KIND = strings_timeline.TIMELINE_KIND
T = strings.TEXT


@pytest.fixture
def career(container: Container, agencies: dict[str, int], clock: FakeClock) -> Career:
    return build_career(container, agencies, clock)


def events_of(body: str) -> list[str]:
    """The section named on each event, in page order."""
    return re.findall(r'<li class="timeline-event timeline-([a-z]+)">', body)


def test_each_role_sees_its_sections_and_no_others(container: Container, career: Career) -> None:
    w = career.world
    path = f"/officers/{career.officer_id}/timeline"
    for client in open_client(container):
        signed(client, w.examiner.username)
        examiner = client.get(path)
        assert examiner.status_code == 200
        assert set(events_of(examiner.text)) == {"assignments"}
        for absent in ("evaluations", "results", "decisions", "certificates", "appeals",
                       "accesses"):
            assert SECTION[absent] not in examiner.text, absent
        assert KIND["decided"] not in examiner.text and "/decisions/" not in examiner.text

        signed(client, w.hr.username)
        hr = client.get(path)
        assert set(events_of(hr.text)) == {"assignments", "evaluations", "decisions",
                                           "certificates", "appeals"}
        assert SECTION["results"] not in hr.text and SECTION["accesses"] not in hr.text
        assert KIND["exam_recorded"] not in hr.text
        assert f'href="/decisions/{career.not_approved}"' in hr.text
        assert f'href="/certification/evaluations/{career.not_approved}/appeal"' in hr.text
        assert f'href="/officers/{career.officer_id}/credential"' in hr.text

        signed(client, w.decider.username)
        decider = client.get(path)
        assert "results" in events_of(decider.text)
        assert strings.EV_OUTCOME["positive"] in decider.text
        assert SECTION["accesses"] not in decider.text

        signed(client, career.auditor.username)
        auditor = client.get(path)
        assert "accesses" in events_of(auditor.text) and "results" not in events_of(
            auditor.text)
        assert f'href="/access/officers/{career.officer_id}"' in auditor.text
        assert "/access/users?usuario=rh-jalisco" in auditor.text

        signed(client, career.other_hr.username)
        refused = client.get(path)
        assert refused.status_code == 403
        assert events_of(refused.text) == []


def test_the_page_is_a_list_by_year_with_times(container: Container, career: Career) -> None:
    for client in open_client(container):
        signed(client, career.world.hr.username)
        page = client.get(f"/officers/{career.officer_id}/timeline").text
        years = re.findall(r'<h2 id="y-(\d{4})">', page)
        assert years == ["2026", "2025", "2020", "2015", "2010"]
        assert page.count('<ol class="timeline">') == len(years)
        assert '<time datetime="2026-11-21">21/11/2026</time>' in page
        assert '<time datetime="2026-11-20T15:00:00Z">' in page
        assert '<label for="f-tipo">' in page and 'name="tipo"' in page
        # Each event says its section in words, not by colour alone.
        assert page.count(f"{T['timeline_section_label']}: </span>") == len(events_of(page))


def test_filter_by_kind_with_and_without_htmx(container: Container, career: Career) -> None:
    path = f"/officers/{career.officer_id}/timeline"
    for client in open_client(container):
        signed(client, career.world.hr.username)
        plain = client.get(path, params={"tipo": "appeals"})
        assert plain.status_code == 200
        assert events_of(plain.text) == ["appeals"]
        assert '<option value="appeals" selected>' in plain.text
        fragment = client.get(path, params={"tipo": "decisions"}, headers={
            "HX-Request": "true", "HX-Target": "timeline-events"})
        assert fragment.status_code == 200 and "<html" not in fragment.text
        assert set(events_of(fragment.text)) == {"decisions"}
        # A kind the role may not see is not offered; asked for by hand, it is refused in words.
        bad = client.get(path, params={"tipo": "accesses"})
        assert bad.status_code == 422
        assert T["timeline_bad_kind"] in bad.text
        assert set(events_of(bad.text)) == {"assignments", "evaluations", "decisions",
                                            "certificates", "appeals"}


def test_names_and_notes_are_escaped(container: Container, career: Career) -> None:
    for client in open_client(container):
        signed(client, career.world.decider.username)
        page = client.get(f"/officers/{career.officer_id}/timeline").text
        assert MARKUP not in page
        escaped = MARKUP.replace("<", "&lt;").replace(">", "&gt;").replace('"', "&#34;")
        assert page.count(escaped) == 2  # the exam's notes and the appeal's grounds
        evil = client.get(f"/officers/{career.evil}/timeline").text
        assert EVIL_NAME not in evil and "&lt;script&gt;" in evil


def test_the_profile_links_to_the_timeline(container: Container, career: Career) -> None:
    for client in open_client(container):
        signed(client, career.world.examiner.username)
        profile = client.get(f"/officers/{career.officer_id}")
        assert profile.status_code == 200
        assert f'href="/officers/{career.officer_id}/timeline"' in profile.text
