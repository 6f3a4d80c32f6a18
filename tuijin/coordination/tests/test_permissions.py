"""Who may use the coordination pages, role by role: the office organises and keeps the roster; leaders read;
the convener unit organises its meeting; member units read and propose; outsiders get 404; the 三员 get 403;
anonymous visitors are sent to sign in."""

import pytest
from django.urls import reverse

from .conftest import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast(sup, leader, alice, bob, charlie, auditor, sysadmin, secadmin):
    return {"sup": sup, "leader": leader, "alice": alice, "bob": bob, "charlie": charlie, "auditor": auditor,
            "sysadmin": sysadmin, "secadmin": secadmin}  # fmt: skip


def status(client, user, url):
    client.logout()
    if user is not None:
        login(client, user)
    return client.get(url).status_code


PAGES = {
    # name: (who gets 200, who gets 404 — everyone else signed in gets 403)
    "directory": ({"sup", "leader", "alice", "bob", "charlie"}, set()),
    "joint_meetings": ({"sup", "leader", "alice", "bob", "charlie"}, set()),
    "joint_meeting": ({"sup", "leader", "alice", "bob"}, {"charlie"}),
    "meeting": ({"sup", "leader", "alice", "bob"}, {"charlie"}),
    "decisions_xlsx": ({"sup", "leader", "alice", "bob"}, {"charlie"}),
    "minutes_docx": ({"sup", "leader", "alice", "bob"}, {"charlie"}),
    "propose": ({"sup", "alice", "bob"}, {"charlie"}),
    "decision_add": ({"sup", "alice"}, {"charlie"}),
    "minutes_issue": ({"sup", "alice"}, {"charlie"}),
    "sign_in_screen": ({"sup", "alice"}, {"charlie"}),
    "appoint": ({"sup"}, set()),
    "joint_meeting_create": ({"sup"}, set()),
    "instructions": ({"sup", "leader"}, set()),
}


@pytest.fixture
def urls(issued, next_meeting):
    jm = issued.joint_meeting
    return {
        "directory": reverse("coordination_liaison_directory"),
        "joint_meetings": reverse("coordination_joint_meeting_list"),
        "joint_meeting": reverse("coordination_joint_meeting_detail", args=[jm.code]),
        "meeting": reverse("coordination_meeting_detail", args=[issued.code]),
        "decisions_xlsx": reverse("coordination_decisions_xlsx", args=[jm.code]),
        "minutes_docx": reverse("coordination_minutes_docx", args=[issued.code]),
        "propose": reverse("coordination_agenda_propose", args=[next_meeting.code]),
        "decision_add": reverse("coordination_decision_add", args=[next_meeting.code]),
        "minutes_issue": reverse("coordination_minutes_issue", args=[next_meeting.code]),
        "sign_in_screen": reverse("coordination_sign_in_screen", args=[next_meeting.code]),
        "appoint": reverse("coordination_liaison_appoint"),
        "joint_meeting_create": reverse("coordination_joint_meeting_create"),
        "instructions": reverse("coordination_instruction_list"),
    }


@pytest.mark.parametrize("page", sorted(PAGES))
def test_it_admits_each_role_as_the_rules_say(client, cast, urls, page):
    allowed, hidden = PAGES[page]
    url = urls[page]
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]
    for name, user in cast.items():
        expected = 200 if name in allowed else 404 if name in hidden else 403
        assert status(client, user, url) == expected, (page, name)


def test_it_lists_only_the_joint_meetings_of_ones_units(client, charlie, bob, jm):
    assert (
        jm.name not in login(client, charlie).get(reverse("coordination_joint_meeting_list")).content.decode()
    )
    assert jm.name in login(client, bob).get(reverse("coordination_joint_meeting_list")).content.decode()


def test_it_lets_a_member_read_but_not_organise(client, bob, meeting, unit_b):
    client = login(client, bob)
    response = client.post(reverse("coordination_decision_add", args=[meeting.code]),
                           {"text": "越权议定", "lead_unit": unit_b.code})  # fmt: skip
    assert response.status_code == 403 and not meeting.decisions.exists()
