"""Wording files: the shipped ones load; a broken one is refused naming the key and the fix."""

import pytest
import yaml

from civicmeter.narrative import LANGUAGES, NarrativeError, load_wording
from civicmeter.narrative.wording import MESSAGES


@pytest.mark.parametrize("language", LANGUAGES)
def test_shipped_wording_loads(instrument, language):
    wording = load_wording(language, instrument)
    assert wording.language == language
    assert set(wording.phrases["s1_strategy"]) == {"yes", "no"}
    assert len(wording.sha256) == 64


def _broken(tmp_path, change):
    content = yaml.safe_load((MESSAGES / "en.yaml").read_text(encoding="utf-8"))
    change(content)
    path = tmp_path / "en.yaml"
    path.write_text(yaml.safe_dump(content, allow_unicode=True), encoding="utf-8")
    return path


def test_a_placeholder_the_text_cannot_fill(instrument, tmp_path):
    path = _broken(tmp_path, lambda c: c["leads"].update(like="Like {percent} of {peers}, {city} {phrase}"))
    with pytest.raises(NarrativeError) as info:
        load_wording("en", instrument, path)
    assert str(info.value) == (
        f"[narrative.E015] {path} key leads.like: uses {{percent}}, which this text cannot fill; "
        "it may use {share}, {peers}, {city}, {phrase}"
    )


def test_a_phrase_for_an_unknown_question_or_option(instrument, tmp_path):
    def change(content):
        content["phrases"]["s1_stratgy"] = {"yes": "has one"}
        content["phrases"]["s1_goals"]["maybe"] = "might have goals"

    with pytest.raises(NarrativeError) as info:
        load_wording("en", instrument, _broken(tmp_path, change))
    messages = [p.message for p in info.value.problems]
    assert (
        "question 's1_stratgy' is not in instrument "
        "'innovation_capacity'; use a question name of the instrument" in messages
    )
    assert "unknown key; allowed keys here are yes, no, other" in messages


def test_missing_plural_form_and_wrong_language(instrument, tmp_path):
    def change(content):
        del content["excluded"]["one"]
        content["language"] = "fr"

    with pytest.raises(NarrativeError) as info:
        load_wording("en", instrument, _broken(tmp_path, change))
    places = [p.place.split(" key ")[1] for p in info.value.problems]
    assert places == ["language", "excluded.one"]


def test_an_unreadable_file(instrument, tmp_path):
    with pytest.raises(NarrativeError) as info:
        load_wording("en", instrument, tmp_path / "missing.yaml")
    assert info.value.codes == ("narrative.E015",)
