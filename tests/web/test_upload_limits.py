"""Upload limits (web/core/upload_limits.py): each kind's limit read from its setting when a file
comes, and one refusal naming the file, its size and the limit."""

from __future__ import annotations

from django.test import SimpleTestCase, override_settings

from civicmeter.web.core.upload_limits import EVIDENCE, IMPORTS, YAML, too_large, upload_limit


class UploadLimitTests(SimpleTestCase):
    def test_each_kind_reads_its_own_setting_as_it_is_now(self):
        self.assertEqual(
            [upload_limit(kind) for kind in (IMPORTS, YAML, EVIDENCE)], [20 * 2**20, 2**20, 10 * 2**20]
        )
        with override_settings(CIVICMETER_MAX_UPLOAD_BYTES=5, CIVICMETER_MAX_YAML_BYTES=6):
            self.assertEqual([upload_limit(IMPORTS), upload_limit(YAML)], [5, 6])

    def test_a_file_at_the_limit_passes_and_one_byte_more_is_refused_by_name_size_and_limit(self):
        self.assertEqual(too_large("rules.yaml", 2**20, YAML), "")
        self.assertEqual(
            too_large("rules.yaml", 3 * 2**20, YAML),
            "rules.yaml is 3.0\xa0MB, above the 1.0\xa0MB limit for YAML files; keep only what the file "
            "needs, or ask the operator to raise CIVICMETER_MAX_YAML_BYTES.",
        )
        for kind in (IMPORTS, EVIDENCE):
            refusal = too_large("big.csv", upload_limit(kind) + 1, kind)
            self.assertRegex(refusal, rf"^big\.csv is .+, above the .+ limit for .+; .+ {kind.setting}\.$")
