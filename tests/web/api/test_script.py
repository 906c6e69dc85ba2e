"""The admin's import script of docs/api.md, run as written against a live server with a token."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from django.test import LiveServerTestCase

from civicmeter.testing import make_world
from civicmeter.web.accounts.permissions import SYSTEM
from civicmeter.web.api import services
from civicmeter.web.collection.models import Answer

DOC = Path(__file__).resolve().parents[3] / "docs" / "api.md"


def import_script() -> str:
    """The Python block after "An admin's import script" in docs/api.md, for the demo's names."""
    text = DOC.read_text().split("An admin's import script", 1)[1]
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    return code.replace('"innovation-capacity", "2020"', '"test", "2020"')


class ImportScriptTests(LiveServerTestCase):
    def test_an_admin_imports_responses_with_a_token_from_a_script(self):
        world = make_world()
        key = services.token_create(actor=SYSTEM, user=world.admin, name="script").key
        answers = Path(self.id().replace(".", "_") + ".csv")
        answers.write_text("city,s1_strategy,s1_goals\nbaltimore-us,yes,no\n")
        try:
            done = subprocess.run(
                [sys.executable, "-c", import_script(), str(answers)],
                env={**os.environ, "CIVICMETER_URL": self.live_server_url, "CIVICMETER_TOKEN": key},
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            answers.unlink()
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertIn("2 answers inserted", done.stdout)
        stored = dict(Answer.objects.values_list("question", "value"))
        self.assertEqual(stored, {"s1_strategy": "yes", "s1_goals": "no"})

    def test_a_refused_file_prints_each_problem_and_exits_2(self):
        world = make_world()
        key = services.token_create(actor=SYSTEM, user=world.admin, name="script").key
        answers = Path(self.id().replace(".", "_") + ".csv")
        answers.write_text("city,s1_strategy\nnowhere-xx,maybe\n")
        try:
            done = subprocess.run(
                [sys.executable, "-c", import_script(), str(answers)],
                env={**os.environ, "CIVICMETER_URL": self.live_server_url, "CIVICMETER_TOKEN": key},
                capture_output=True,
                text=True,
                timeout=120,
            )
        finally:
            answers.unlink()
        self.assertEqual(done.returncode, 2)
        self.assertIn("[import.", done.stderr)
        self.assertFalse(Answer.objects.exists())
