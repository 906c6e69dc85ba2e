"""The agenda CSV reads back what it wrote, whatever the text (a law, checked with hypothesis)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from civicmeter.web.agenda import table
from civicmeter.web.agenda.models import Source, Status

#: Text a person may type: any printable characters, commas, quotes, line breaks, formula starts.
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\x00")
    | st.sampled_from(["\n", ",", '"', ";", "\t", "=", "+", "-", "@", "'"]),
    max_size=40,
).map(str.strip)
DATES = st.one_of(st.none(), st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))


def action(pk, title, owner, notes, status, source, starts_on, due_on):
    if starts_on and due_on and due_on < starts_on:
        starts_on, due_on = due_on, starts_on
    return SimpleNamespace(
        pk=pk,
        title=title,
        owner=owner,
        owner_email="",
        status=status,
        starts_on=starts_on,
        due_on=due_on,
        source=source,
        source_ref="",
        source_wave="",
        notes=notes,
        link_list=[],
    )


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.builds(
            action,
            pk=st.integers(1, 10**6),
            title=TEXT.filter(bool).map(lambda t: t[:300].strip()).filter(bool),
            owner=TEXT.map(lambda t: t[:200].strip()),
            notes=TEXT,
            status=st.sampled_from(Status.values),
            source=st.sampled_from(Source.values),
            starts_on=DATES,
            due_on=DATES,
        ),
        max_size=5,
        unique_by=lambda a: a.pk,
    )
)
def test_what_is_written_reads_back_unchanged(actions):
    rows = table.read_csv(table.write_csv(actions).encode("utf-8"), known={a.pk for a in actions})
    assert [r.id for r in rows] == [a.pk for a in actions]
    for row, a in zip(rows, actions, strict=True):
        for name in ("title", "owner", "notes", "status", "source", "starts_on", "due_on"):
            assert row.values[name] == getattr(a, name), name
