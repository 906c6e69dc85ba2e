"""A published wave's findings: the OECD brochure's aggregate charts rebuilt from public answers.

Each figure is declared once in :data:`FIGURES` (which questions, which chart kind) and computed
from the wave's public tally (``published.PublicWave``: validated responses of a published wave
only), so the page, its PDF and the static site show the same numbers. Shares are of the cities
that gave a usable answer (``n``); "don't know" and "not applicable" leave the denominator and the
page says how many answers were left out. Built charts are kept per public-data key and language.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from civicmeter.charts import Caption, Chart, Field, bar_chart, grouped_bar_chart, stacked_bar_chart
from civicmeter.narrative import PeerGroup
from civicmeter.narrative.tally import QuestionTally

from .memo import KeyedMemo
from .places import CONTINENT_NAMES
from .published import PublicWave

#: A continent is drawn beside all cities only when this many of its cities answered: below it one
#: city moves the share by more than five points, and seven bars per area stop being readable.
MIN_CONTINENT_CITIES = 20


@dataclass(frozen=True)
class Figure:
    """One brochure chart. ``source`` names a matrix group (``group:NAME``) or questions; ``series``
    labels the questions of a now/future pair; ``option`` is the answer a by-continent chart counts."""

    key: str
    title: str
    kind: str  # bar | stacked | grouped | by_continent
    source: tuple[str, ...]
    category_title: str
    sort: bool = True
    series: tuple[str, ...] = ()
    option: str = ""


FIGURES = (
    Figure(
        "importance",
        gettext_noop("How important each factor is in supporting innovation"),
        "stacked",
        ("group:s1_importance",),
        gettext_noop("Factor"),
    ),
    Figure(
        "lacking",
        gettext_noop("Factors lacking in cities' innovation capacity"),
        "bar",
        ("s1_lacking",),
        gettext_noop("Factor"),
    ),
    Figure(
        "activities",
        gettext_noop("How often cities use each innovation activity"),
        "stacked",
        ("group:s1_activities",),
        gettext_noop("Activity"),
    ),
    Figure(
        "strategy",
        gettext_noop("Formal innovation strategy and goals"),
        "stacked",
        ("s1_strategy", "s1_goals"),
        gettext_noop("Question"),
    ),
    Figure(
        "roles",
        gettext_noop("Roles that make up the innovation staff"),
        "bar",
        ("s2_roles",),
        gettext_noop("Role"),
    ),
    Figure(
        "budget",
        gettext_noop("Innovation budget plans for the next two to three years"),
        "bar",
        ("s3_budget_plan",),
        gettext_noop("Plan"),
        sort=False,
    ),
    Figure(
        "funding",
        gettext_noop("Where innovation funding comes from, now and in future"),
        "grouped",
        ("s3_sources_now", "s3_sources_future"),
        gettext_noop("Source"),
        series=(gettext_noop("Now"), gettext_noop("In future")),
    ),
    Figure(
        "investments",
        gettext_noop("What innovation funding pays for, now and in future"),
        "grouped",
        ("s3_invest_now", "s3_invest_future"),
        gettext_noop("Use"),
        series=(gettext_noop("Now"), gettext_noop("In future")),
    ),
    Figure(
        "sufficiency",
        gettext_noop("Policy areas with sufficient data to advance innovation"),
        "by_continent",
        ("group:s4_sufficiency",),
        gettext_noop("Policy area"),
        option="sufficient",
    ),
    Figure(
        "challenges",
        gettext_noop("What undermines cities' use of data"),
        "stacked",
        ("group:s4_challenges",),
        gettext_noop("Challenge"),
    ),
    Figure(
        "partners",
        gettext_noop("Partners with a substantive role in cities' data work"),
        "bar",
        ("s4_partners",),
        gettext_noop("Partner"),
    ),
    Figure(
        "evaluation",
        gettext_noop("Strategic goals with metrics, and tools to evaluate innovation"),
        "stacked",
        ("s5_goal_metrics", "s5_eval_tools"),
        gettext_noop("Question"),
    ),
)

#: A drawn chart with the tallies it stands on (for n and the answers left out).
Built = tuple[Chart, list[QuestionTally]]
SHARE = gettext_lazy("Share of cities")
ANSWER = gettext_lazy("Answer")


@dataclass(frozen=True)
class Finding:
    """A drawn figure with the question(s) it asks and who answered (``n_low``..``n_high``)."""

    key: str
    chart: Chart
    questions: tuple[str, ...]
    n_low: int
    n_high: int
    excluded: int


class _Context:
    """What one language's figures of one wave read: the instrument, the tally, the language."""

    def __init__(self, public: PublicWave, language: str):
        self.public, self.language, self.instrument = public, language, public.instrument
        everyone = PeerGroup("all", frozenset(public.cities))
        tally = public.tally(everyone)
        self.tally = {q.name: q for q in tally.questions}
        self.missing = frozenset(tally.settings.missing_choices)

    def rows_of(self, source: tuple[str, ...]) -> list[str]:
        if source[0].startswith("group:"):
            group = self.instrument.group(source[0].removeprefix("group:"))
            return [q.name for q in group.questions]
        return list(source)

    def question_text(self, source: tuple[str, ...]) -> tuple[str, ...]:
        if source[0].startswith("group:"):
            group = self.instrument.group(source[0].removeprefix("group:"))
            return (self.instrument.text(group.labels, self.language),)
        return tuple(self.instrument.label(name, self.language) for name in source)

    def options(self, name: str) -> list[tuple[str, str]]:
        """(option, label) of the question's answers that count (not "don't know" / "n.a.")."""
        question = self.instrument.question(name)
        return [
            (c.name, self.instrument.text(c.labels, self.language))
            for c in self.instrument.choices(question).choices
            if c.name not in self.missing
        ]

    def share(self, tally: QuestionTally, option: str) -> float | None:
        return tally.counts[option] / tally.valid if tally.valid else None


def _subtitle(questions: tuple[str, ...]) -> str:
    return " / ".join(questions)


def _n_text(low: int, high: int) -> str:
    return f"n = {low}" if low == high else f"n = {low}\u2013{high}"


def _bar(ctx: _Context, figure: Figure, title: str, subtitle: str) -> Built:
    tally = ctx.tally[figure.source[0]]
    rows = [{"answer": label, "share": ctx.share(tally, option)} for option, label in ctx.options(tally.name)]
    chart = bar_chart(
        rows,
        category=Field("answer", _(figure.category_title)),
        value=Field("share", str(SHARE)),
        caption=Caption(title, kind="percent", language=ctx.language, n=tally.valid, subtitle=subtitle),
        sort=figure.sort,
    )
    return chart, [tally]


def _stacked(ctx: _Context, figure: Figure, title: str, subtitle: str) -> Built:
    names = ctx.rows_of(figure.source)
    tallies = [ctx.tally[name] for name in names]
    order: dict[str, str] = {}
    rows = []
    for name, tally in zip(names, tallies, strict=True):
        category = ctx.instrument.label(name, ctx.language)
        for option, label in ctx.options(name):
            order.setdefault(option, label)
            rows.append({"row": category, "answer": order[option], "share": ctx.share(tally, option)})
    low, high = min(t.valid for t in tallies), max(t.valid for t in tallies)
    chart = stacked_bar_chart(
        rows,
        category=Field("row", _(figure.category_title)),
        series=Field("answer", str(ANSWER)),
        value=Field("share", str(SHARE)),
        caption=Caption(
            title,
            kind="percent",
            language=ctx.language,
            n=low if low == high else None,
            subtitle=subtitle if low == high else f"{subtitle} ({_n_text(low, high)})",
        ),
        series_order=list(order.values()),
    )
    return chart, tallies


def _side_by_side(ctx: _Context, figure: Figure, rows: list[dict], axes: tuple[str, str, str], title: str,
                  subtitle: str, groups: list[tuple[str, int]]) -> Chart:
    """Shares side by side, one series per group (the waves of a question pair, the continents):
    ``axes`` names the category and series fields and the value axis; each group's n goes in the
    subtitle, since the groups answered in different numbers."""
    category, series, value_title = axes
    counts = "; ".join(f"{group}: n = {n}" for group, n in groups)
    return grouped_bar_chart(
        rows,
        category=Field(category, _(figure.category_title)),
        series=Field(series, ""),
        value=Field("share", value_title),
        caption=Caption(title, kind="percent", language=ctx.language, subtitle=f"{subtitle} ({counts})"),
        series_order=[group for group, _n in groups],
    )


def _grouped(ctx: _Context, figure: Figure, title: str, subtitle: str) -> Built:
    tallies = [ctx.tally[name] for name in figure.source]
    series = [_(label) for label in figure.series]
    rows = [
        {"answer": label, "when": series[i], "share": ctx.share(tally, option)}
        for option, label in ctx.options(figure.source[0])
        for i, tally in enumerate(tallies)
    ]
    groups = [(s, t.valid) for s, t in zip(series, tallies, strict=True)]
    return _side_by_side(ctx, figure, rows, ("answer", "when", str(SHARE)), title, subtitle, groups), tallies


def _by_continent(ctx: _Context, figure: Figure, title: str, subtitle: str) -> Built:
    names = ctx.rows_of(figure.source)
    public = ctx.public
    groups: list[tuple[str, dict[str, QuestionTally]]] = [(_("All cities"), ctx.tally)]
    for code, label in CONTINENT_NAMES.items():
        members = frozenset(s for s, c in public.cities.items() if c.continent == code)
        if len(members) >= MIN_CONTINENT_CITIES:
            tally = public.tally(PeerGroup("continent", members, continent=code))
            groups.append((str(label), {q.name: q for q in tally.questions}))
    rows = [
        {
            "area": ctx.instrument.label(name, ctx.language),
            "group": group,
            "share": ctx.share(tallies[name], figure.option),
        }
        for name in names
        for group, tallies in groups
    ]
    option_label = dict(ctx.options(names[0]))[figure.option]
    sizes = [(g, max(t[n].valid for n in names)) for g, t in groups]
    axes = ("area", "group", f"{SHARE}: {option_label}")
    return _side_by_side(ctx, figure, rows, axes, title, subtitle, sizes), [ctx.tally[name] for name in names]


BUILDERS = {"bar": _bar, "stacked": _stacked, "grouped": _grouped, "by_continent": _by_continent}


def _build(public: PublicWave, language: str) -> list[Finding]:
    ctx = _Context(public, language)
    findings = []
    for figure in FIGURES:
        names = ctx.rows_of(figure.source)
        if not all(name in ctx.tally for name in names):
            continue  # an instrument without these questions: the figure does not apply
        questions = ctx.question_text(figure.source)
        chart, tallies = BUILDERS[figure.kind](ctx, figure, _(figure.title), _subtitle(questions))
        findings.append(
            Finding(
                key=figure.key,
                chart=chart,
                questions=questions,
                n_low=min(t.valid for t in tallies),
                n_high=max(t.valid for t in tallies),
                excluded=max(t.excluded for t in tallies),
            )
        )
    return findings


_BUILT = KeyedMemo(size=24)


def wave_findings(public: PublicWave, language: str) -> list[Finding]:
    """The wave's figures in ``language``, kept per public-data key (a change to what is public
    changes the key, so nothing stale is shown and nothing needs clearing)."""
    return _BUILT.get_or_build((public.key, language), lambda: _build(public, language))
