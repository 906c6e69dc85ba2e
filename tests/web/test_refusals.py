"""How pages show a service's refusal (web/core/refusals.py): the messages, the form errors and the
hidden object's 404 that the views used to write out one by one."""

from __future__ import annotations

from django import forms
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.test import RequestFactory, SimpleTestCase

from civicmeter.web.core.refusals import refusal_on_form, shown_refusal, valid_data


class _Form(forms.Form):
    code = forms.SlugField(label="Code")
    value = forms.FloatField(label="Value")


def _request():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def _errors(request) -> list[str]:
    return [m.message for m in get_messages(request) if m.level_tag == "error"]


class ShownRefusalTests(SimpleTestCase):
    def test_problems_are_one_message_or_one_each(self):
        for each, expected in ((False, ["closed. stale."]), (True, ["closed.", "stale."])):
            request = _request()
            with shown_refusal(request, each=each):
                raise ValidationError(["closed.", "stale."])
            self.assertEqual(_errors(request), expected)

    def test_prefix_leads_the_message(self):
        request = _request()
        with shown_refusal(request, prefix="C3: "):
            raise ValidationError("missing note.")
        self.assertEqual(_errors(request), ["C3: missing note."])

    def test_a_body_that_is_not_refused_adds_nothing(self):
        request = _request()
        with shown_refusal(request):
            done = True
        self.assertTrue(done)
        self.assertEqual(_errors(request), [])

    def test_permission_denied_is_the_hidden_404_or_goes_on(self):
        with self.assertRaisesMessage(Http404, "No such assessment."):
            with shown_refusal(_request(), hidden="No such assessment."):
                raise PermissionDenied
        with self.assertRaises(PermissionDenied):
            with shown_refusal(_request()):
                raise PermissionDenied


class FormRefusalTests(SimpleTestCase):
    def test_refusal_on_form_becomes_its_non_field_errors(self):
        form = _Form({"code": "a", "value": "1"})
        self.assertTrue(form.is_valid())
        with refusal_on_form(form):
            raise ValidationError("The version changed meanwhile.")
        self.assertEqual(form.non_field_errors(), ["The version changed meanwhile."])

    def test_refusal_on_form_goes_under_the_field_it_names(self):
        form = _Form({"code": "a", "value": "1"})
        self.assertTrue(form.is_valid())
        with refusal_on_form(form, field="code"):
            raise ValidationError("This code is taken.")
        self.assertEqual(form.errors, {"code": ["This code is taken."]})

    def test_valid_data_names_each_field_by_its_label(self):
        self.assertEqual(valid_data(_Form({"code": "a", "value": "2"})), {"code": "a", "value": 2.0})
        request = _request()
        with shown_refusal(request, each=True):
            valid_data(_Form({"code": "a b", "value": "x"}))
        self.assertEqual(
            _errors(request),
            [
                "Code: Enter a valid “slug” consisting of letters, numbers, underscores or hyphens.",
                "Value: Enter a number.",
            ],
        )
