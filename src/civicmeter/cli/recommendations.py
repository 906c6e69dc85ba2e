"""``civicmeter recommendations check FILE``: check a rules file (or a case file) before a programme
uses it, against the shipped survey and scoring recipes; every problem names its rule or case."""

from __future__ import annotations

from pathlib import Path

import typer

from ._errors import user_errors

reco_app = typer.Typer(help="Recommendation rules and the case library.", no_args_is_help=True)


@reco_app.command("check")
def check(
    file: Path = typer.Argument(
        ..., help="A rules file (like recommendations.yaml) or a case file (like cases.yaml)."
    ),
    rules: Path = typer.Option(
        None, "--rules", help="For a case file: the rules it refers to [default: the shipped rules]."
    ),
    instrument: Path = typer.Option(
        None, "--instrument", help="The survey workbook the rules read [default: the shipped survey]."
    ),
) -> None:
    """Load FILE as Civicmeter would and report every problem (exit 2), or what it holds."""
    import yaml

    from civicmeter import instruments, scoring
    from civicmeter.narrative import SHIPPED_CASES, SHIPPED_RULES, NarrativeError, load_cases, load_rules

    shipped = (
        Path(scoring.__file__).resolve().parent.parent
        / "content"
        / "instruments"
        / "innovation-capacity.xlsx"
    )
    survey = instruments.load_instrument(instrument or shipped)
    recipes = (
        scoring.load_scoring_recipe(scoring.PSI_RECIPE),
        scoring.load_scoring_recipe(scoring.DATA_USE_RECIPE),
    )
    with user_errors(NarrativeError, OSError):
        try:
            content = yaml.safe_load(file.read_text(encoding="utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError):
            content = None  # the loader below names the problem with its code
        if isinstance(content, dict) and "cases" in content:
            ruleset = load_rules(rules or SHIPPED_RULES, survey, recipes)
            if file.resolve() == SHIPPED_CASES:
                library = load_cases(ruleset, survey, path=file)
            else:  # a programme's own cases come after the shipped ones: ids must not repeat theirs
                library = load_cases(ruleset, survey, extra=(file,))
            own = [c for c in library.cases if c.file == str(file)]
            typer.echo(
                f"OK: {len(own)} cases in {file}, checked against rules {ruleset.id} v{ruleset.version}."
            )
            return
        ruleset = load_rules(file, survey, recipes)
        load_cases(ruleset, survey)  # the shipped cases must still point to recommendations that exist
    triggers = sum(len(r.triggers) for r in ruleset.recommendations)
    typer.echo(
        f"OK: rules {ruleset.id} v{ruleset.version}: {len(ruleset.recommendations)} recommendations, "
        f"{triggers} triggers, checked against {survey.form_id} {survey.version}."
    )


def register(app: typer.Typer) -> None:
    app.add_typer(reco_app, name="recommendations")
