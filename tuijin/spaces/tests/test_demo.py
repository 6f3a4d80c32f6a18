"""The demo's apartments and offices: loaded once, with something in every state, and logins that work."""

from django.test import Client, TestCase
from django.urls import reverse

from tuijin.core.demo import load_demo
from tuijin.core.demo_data import PASSWORD

from ..demo import load_demo_spaces
from ..models import Application, Building, Lease, Space
from ..queue import queue_of


class SpacesDemoTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        load_demo()  # the main scenario loads the spaces demo too

    def test_it_loads_once(self):
        before = (Building.objects.count(), Space.objects.count(), Application.objects.count())
        assert load_demo_spaces() is None
        assert (Building.objects.count(), Space.objects.count(), Application.objects.count()) == before

    def test_it_has_two_buildings_of_twenty_spaces_in_the_science_city(self):
        assert Building.objects.count() == 2
        assert set(Building.objects.values_list("sector__name", flat=True)) == {"中原科技城管委会"}
        assert Space.objects.count() == 20
        assert {s for s in Space.objects.values_list("status", flat=True)} == set(Space.Status.values)

    def test_it_has_applications_and_leases_in_every_state(self):
        assert set(Application.objects.values_list("state", flat=True)) == set(Application.State.values) - {
            Application.State.WITHDRAWN
        }
        assert set(Lease.objects.values_list("state", flat=True)) == set(Lease.State.values)

    def test_the_demo_applicant_waits_behind_a_c_talent_who_applied_later(self):
        queue = queue_of("apartment")
        names = [a.name for a in queue]
        assert names[0] == "吴磊" and names.index("郑琳") < names.index("李博文") < names.index("黄凯"), names

    def test_the_applicant_and_the_space_manager_can_sign_in_and_see_their_pages(self):
        applicant = Client()
        assert applicant.login(username="applicant", password=PASSWORD)
        page = applicant.get(reverse("spaces_portal"))
        assert page.status_code == 200 and 'data-testid="position"' in page.content.decode()
        manager = Client()
        assert manager.login(username="spaces", password=PASSWORD)
        assert manager.get(reverse("spaces_home")).status_code == 200
        assert manager.get(reverse("spaces_application_list")).status_code == 200
