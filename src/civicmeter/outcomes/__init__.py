"""Well-being outcomes: the indicator catalogue, importers for city tables and survey microdata,
city-name matching and rescaling to 0-100 index points. Pure Python (no Django): the web services
store what these functions return.
"""

from civicmeter.outcomes.catalogue import (
    Catalogue,
    Dimension,
    Indicator,
    RescaleRule,
    load_catalogue,
)
from civicmeter.outcomes.errors import OutcomesError, Problem
from civicmeter.outcomes.files import RawTable, detect_encoding, read_table, wide_years_to_long
from civicmeter.outcomes.import_spec import ImportSpec
from civicmeter.outcomes.matching import (
    MatchReport,
    check_confirmed,
    match_cities,
    read_confirmed,
    write_confirmed,
)
from civicmeter.outcomes.microdata import MicrodataResult, summarise_microdata
from civicmeter.outcomes.microdata_spec import MicrodataSpec
from civicmeter.outcomes.outcome_table import TIDY_COLUMNS, ImportReport, OutcomeTable
from civicmeter.outcomes.rescale import rescale_to_index
from civicmeter.outcomes.tables import read_outcome_table

__all__ = [
    "TIDY_COLUMNS",
    "Catalogue",
    "Dimension",
    "ImportReport",
    "ImportSpec",
    "Indicator",
    "MatchReport",
    "MicrodataResult",
    "MicrodataSpec",
    "OutcomeTable",
    "OutcomesError",
    "Problem",
    "RawTable",
    "RescaleRule",
    "check_confirmed",
    "detect_encoding",
    "load_catalogue",
    "match_cities",
    "read_confirmed",
    "read_outcome_table",
    "read_table",
    "rescale_to_index",
    "summarise_microdata",
    "wide_years_to_long",
    "write_confirmed",
]
