"""Well-being outcomes: the indicator catalogue, importers for city tables and survey microdata,
city-name matching and rescaling to 0-100 index points. Pure Python (no Django)."""
