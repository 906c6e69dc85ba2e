"""The wave dashboard at the size of a real wave: pages, sorting, kept filters, counts, query bounds."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from civicmeter.testing import PSI_FULL_ANSWERS, login, make_city, make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.collection import services
from civicmeter.web.collection.models import Answer, Response
from civicmeter.web.collection.views.dashboard import PAGE_SIZE, PAGES
from civicmeter.web.programmes.instrument_cache import instrument_for
from civicmeter.web.programmes.models import Instrument, Invitation


def invite(wave, city, email: str, when) -> Invitation:
    return Invitation.objects.create(wave=wave, city=city, email=email, token=f"t-{city.slug}", sent_at=when)


def add_cities(wave, count: int, *, start: int = 0, status: str = Response.Status.DRAFT) -> list[Response]:
    """``count`` cities answering ``wave`` (two answers each) and invited to it."""
    responses = []
    for k in range(start, start + count):
        city = make_city(f"City {k:03d}", "ZZ")
        response = Response.objects.create(wave=wave, city=city, status=status)
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=q, value=PSI_FULL_ANSWERS[q])
                for q in ("s1_strategy", "s2_team")
            ]
        )
        Invitation.objects.create(
            wave=wave,
            city=city,
            email=f"c{k}@example.org",
            token=f"t-{wave.pk}-{k}",
            sent_at=response.created_at,
        )
        responses.append(response)
    return responses


class DashboardTestCase(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = make_world()
        cls.url = reverse("collection:dashboard", args=[cls.world.programme.slug, cls.world.wave.code])

    def get(self, **params):
        return self.client.get(self.url, params)


class QueryBoundTests(DashboardTestCase):
    """The number of queries is the same for 3 cities and for 63: no query per city."""

    def count_queries(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.assertEqual(self.get().status_code, 200)
        return len(queries)

    def test_queries_do_not_grow_with_the_number_of_cities(self):
        login(self.client, self.world.admin)
        add_cities(self.world.wave, 3)
        few = self.count_queries()
        add_cities(self.world.wave, 60, start=3)
        many = self.count_queries()
        self.assertEqual(few, many)
        self.assertLessEqual(many, 20)

    def test_a_parsed_instrument_is_found_by_its_hash_without_reading_the_workbook(self):
        instrument_for(self.world.wave.instrument)
        row = Instrument.objects.defer("content").get(pk=self.world.wave.instrument.pk)
        with self.assertNumQueries(0):
            self.assertEqual(instrument_for(row).form_id, "innovation_capacity")

    def test_cached_rows_follow_every_change(self):
        """Rows are cached per process; an answer, a status change or an invitation shows at once."""
        login(self.client, self.world.admin)
        (response,) = add_cities(self.world.wave, 1)
        before = self.get().context["rows"][0].answered
        services.answer_save(
            actor=SYSTEM, response=response, question="s1_goals", raw_value="yes", expected_version=0
        )
        self.assertEqual(self.get().context["rows"][0].answered, before + 1)
        Response.objects.filter(pk=response.pk).update(status=Response.Status.SUBMITTED, version=99)
        self.assertEqual(self.get().context["rows"][0].status, "submitted")
        add_cities(self.world.wave, 1, start=1)
        self.assertEqual(self.get().context["total"], 2)


class PaginationAndSortTests(DashboardTestCase):
    @classmethod
    def setUpTestData(cls):
        super().setUpTestData()
        cls.responses = add_cities(cls.world.wave, PAGE_SIZE + 10)
        Response.objects.filter(pk=cls.responses[7].pk).update(status=Response.Status.SUBMITTED)
        Invitation.objects.filter(city=cls.responses[3].city).update(email="a-first@example.org")

    def setUp(self):
        login(self.client, self.world.admin)

    def get(self, **params):
        """A page drawn afresh: these tests read its context, which a page answered from the
        page cache (an address asked for twice) does not have."""
        PAGES.clear()
        return super().get(**params)

    def names(self, page) -> list[str]:
        return [row.city.name for row in page.context["rows"]]

    def test_a_wave_larger_than_a_page_is_split_into_pages(self):
        first, second = self.get(), self.get(page=2)
        self.assertEqual(len(first.context["rows"]), PAGE_SIZE)
        self.assertEqual(len(second.context["rows"]), 10)
        self.assertContains(first, 'aria-current="page">1<')
        self.assertContains(first, "?page=2")
        self.assertNotContains(first, '<th scope="row">City 055')
        self.assertContains(second, '<th scope="row">City 055')
        self.assertEqual(self.get(page="junk").context["page"].number, 1)

    def test_every_column_sorts_both_ways(self):
        expectations = {
            "city": "City 000",
            "status": "City 007",  # the only submitted response sorts after every draft
            "complete": "City 000",
            "activity": "City 000",
            "invitation": "City 003",
        }
        for column, first_descending_or_ascending in expectations.items():
            with self.subTest(column=column):
                ascending = self.names(self.get(sort=column, dir="asc"))
                descending = self.names(self.get(sort=column, dir="desc"))
                self.assertEqual(len(ascending), PAGE_SIZE)
                self.assertIn(first_descending_or_ascending, {ascending[0], descending[0]})
        self.assertEqual(self.names(self.get(sort="status", dir="desc"))[0], "City 007")
        self.assertEqual(self.names(self.get(sort="invitation"))[0], "City 003")
        self.assertEqual(self.names(self.get(sort="city", dir="desc"))[0], "City 059")

    def test_header_links_sort_and_keep_the_filter(self):
        page = self.get(q="City 01", sort="city", dir="asc")
        links = page.context["sort_links"]
        self.assertEqual(
            parse_qs(links["city"]["query"]), {"q": ["City 01"], "sort": ["city"], "dir": ["desc"]}
        )
        self.assertEqual(links["city"]["aria"], "ascending")
        self.assertEqual(links["status"]["aria"], "none")
        self.assertContains(page, 'aria-sort="ascending"')


class KeptFilterTests(DashboardTestCase):
    def test_actions_redirect_back_to_the_same_filter_sort_and_page(self):
        (response,) = add_cities(self.world.wave, 1, status=Response.Status.SUBMITTED)
        login(self.client, self.world.admin)
        view = "q=City&status=submitted&sort=status&dir=desc&page=1&next=https://evil.example"
        answer = self.client.post(reverse("collection:validate", args=[response.pk]), {"view": view})
        location = urlsplit(answer["Location"])
        self.assertEqual(location.path, self.url)
        self.assertEqual(
            parse_qs(location.query),
            {"q": ["City"], "status": ["submitted"], "sort": ["status"], "dir": ["desc"], "page": ["1"]},
        )
        self.assertEqual(Response.objects.get(pk=response.pk).status, Response.Status.VALIDATED)
        back = self.client.post(
            reverse("collection:return", args=[response.pk]), {"view": "status=validated", "note": "Fix it."}
        )
        self.assertEqual(back["Location"], f"{self.url}?status=validated")

    def test_the_page_puts_its_view_in_every_action_form(self):
        add_cities(self.world.wave, 1, status=Response.Status.SUBMITTED)
        login(self.client, self.world.admin)
        page = self.get(status="submitted", q="City")
        self.assertContains(page, 'name="view" value="q=City&amp;status=submitted"', count=5)

    def test_action_forms_carry_a_working_csrf_token(self):
        """The rows are cached without the token; each request puts its own in."""
        from django.test import Client

        (response,) = add_cities(self.world.wave, 1, status=Response.Status.SUBMITTED)
        client = Client(enforce_csrf_checks=True)
        login(client, self.world.admin)
        client.get(self.url)  # fills the cache
        page = client.get(self.url).content.decode()
        self.assertNotIn("<!--csrf-input-->", page)
        start = page.index(reverse("collection:validate", args=[response.pk]))
        token = page[start:].split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        answer = client.post(
            reverse("collection:validate", args=[response.pk]), {"csrfmiddlewaretoken": token}
        )
        self.assertEqual(answer.status_code, 302)
        self.assertEqual(Response.objects.get(pk=response.pk).status, Response.Status.VALIDATED)


class StatusCountTests(DashboardTestCase):
    def test_counts_add_up_and_a_returned_response_is_counted(self):
        responses = add_cities(self.world.wave, 5, status=Response.Status.SUBMITTED)
        services.response_return(actor=self.world.admin, response=responses[0], note="Add the budget.")
        Response.objects.filter(pk=responses[1].pk).update(status=Response.Status.VALIDATED)
        Response.objects.filter(pk=responses[2].pk).update(status=Response.Status.DRAFT)
        Invitation.objects.create(
            wave=self.world.wave,
            city=self.world.city_a,
            email="a@example.org",
            token="t-a",
            sent_at=responses[0].created_at,
        )
        login(self.client, self.world.admin)
        page = self.get()
        counts = page.context["counts"]
        self.assertEqual(
            counts, {"not_started": 1, "draft": 1, "submitted": 2, "returned": 1, "validated": 1}
        )
        self.assertEqual(sum(counts.values()), page.context["total"])
        self.assertContains(page, "returned for changes")


class ExportPermissionTests(DashboardTestCase):
    """Decision (README, roles): reviewers read everything, so they may export; only admins import."""

    def export_url(self, fmt: str) -> str:
        return reverse("collection:export", args=[self.world.programme.slug, self.world.wave.code, fmt])

    def test_admin_and_reviewer_see_the_buttons_and_may_download(self):
        for user, may_import in ((self.world.admin, True), (self.world.reviewer, False)):
            with self.subTest(user=user.username):
                login(self.client, user)
                page = self.get()
                for fmt in ("csv", "xlsx"):
                    self.assertContains(page, f'href="{self.export_url(fmt)}"')
                    self.assertEqual(self.client.get(self.export_url(fmt)).status_code, 200)
                import_url = reverse(
                    "collection:import", args=[self.world.programme.slug, self.world.wave.code]
                )
                if may_import:
                    self.assertContains(page, f'href="{import_url}"')
                else:
                    self.assertNotContains(page, f'href="{import_url}"')

    def test_respondents_and_outsiders_have_neither_button_nor_download(self):
        for user in (self.world.respondent_a, self.world.outsider):
            with self.subTest(user=user.username):
                login(self.client, user)
                self.assertEqual(self.get().status_code, 404)
                home = self.client.get(reverse("accounts:home"))
                self.assertNotContains(home, self.export_url("csv"))
                for fmt in ("csv", "xlsx"):
                    self.assertIn(self.client.get(self.export_url(fmt)).status_code, (403, 404))
