"""The shapes of the public reads (rows from ``public_rows``); the OpenAPI schema comes from these."""

from __future__ import annotations

from rest_framework import serializers


class ProgrammeSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    waves = serializers.ListField(child=serializers.CharField(), help_text="Codes of its published waves")


class ScoreRunFactsSerializer(serializers.Serializer):
    index = serializers.CharField(help_text="Recipe id: psi-capacity or data-use")
    recipe_version = serializers.CharField()
    recipe_title = serializers.CharField()
    interval_method = serializers.CharField(help_text="How the rank intervals were computed")
    code_version = serializers.CharField(help_text="Civicmeter version and commit that scored")
    scored = serializers.IntegerField(help_text="Cities scored in the run")
    public = serializers.IntegerField(help_text="Of them, cities whose results are public")


class WaveSerializer(serializers.Serializer):
    programme = serializers.CharField()
    programme_name = serializers.CharField()
    code = serializers.CharField()
    title = serializers.CharField(allow_blank=True)
    kind = serializers.ChoiceField(choices=["survey", "assessment"])
    instrument = serializers.CharField(help_text="Instrument form id and version")
    published_at = serializers.DateTimeField(allow_null=True)
    cities = serializers.IntegerField(help_text="Cities with a public (validated) response")
    scores = ScoreRunFactsSerializer(allow_null=True)
    links = serializers.DictField(child=serializers.URLField(), help_text="Lists and files of the wave")


class CityFactsSerializer(serializers.Serializer):
    """Who a row is about: the city in one published wave (the cities and results tables begin so)."""

    programme = serializers.CharField()
    wave = serializers.CharField()
    city = serializers.CharField(help_text="City slug: name and ISO 3166-1 alpha-2 country code")
    name = serializers.CharField(help_text="City name")
    country = serializers.CharField(help_text="ISO 3166-1 alpha-2 country code")
    continent = serializers.CharField(allow_null=True, help_text="Continent code (AF, AS, EU, NA, OC, SA)")
    synthetic = serializers.BooleanField(
        help_text="True for a demo city whose answers are generated, not real"
    )


class CitySerializer(CityFactsSerializer):
    """A city with a public (validated) response in a published wave, with its directory facts."""

    region = serializers.CharField(allow_blank=True, help_text="State, province or region")
    population = serializers.IntegerField(
        allow_null=True, help_text="Residents (GeoNames or the programme's figure)"
    )
    population_year = serializers.IntegerField(allow_null=True, help_text="Year of the population figure")
    latitude = serializers.FloatField(allow_null=True, help_text="Latitude, WGS84 degrees")
    longitude = serializers.FloatField(allow_null=True, help_text="Longitude, WGS84 degrees")
    profile = serializers.DictField(
        child=serializers.CharField(), help_text="Profile facts the city agreed to publish"
    )


class ComponentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.FloatField()
    max = serializers.FloatField()


class ResultSerializer(CityFactsSerializer):
    """A city's published index score with its components, class, tier and rank interval."""

    index = serializers.CharField(help_text="The index: psi-capacity (0-10) or data-use")
    recipe_version = serializers.CharField(help_text="Version of the scoring recipe")
    score = serializers.FloatField(help_text="The city's index score")
    share = serializers.FloatField(help_text="The score as a share of its maximum (0-1)")
    score_class = serializers.CharField(help_text="Score class of the recipe (e.g. low, medium, high)")
    tier = serializers.CharField(allow_blank=True, help_text="Data-use tier, where the recipe defines tiers")
    rank = serializers.IntegerField(help_text="Rank by score (1 = highest)")
    rank_p5 = serializers.FloatField(
        help_text="5th percentile of the rank under the recipe's uncertainty analysis"
    )
    rank_median = serializers.FloatField(help_text="Median rank under the uncertainty analysis")
    rank_p95 = serializers.FloatField(help_text="95th percentile of the rank under the uncertainty analysis")
    components = ComponentSerializer(many=True)


class ShareSerializer(serializers.Serializer):
    programme = serializers.CharField()
    wave = serializers.CharField()
    peer_group = serializers.CharField(help_text="all, continent:<code> or population_band:<low>-<high>")
    peer_group_size = serializers.IntegerField(help_text="Public cities in the peer group")
    question = serializers.CharField(help_text="Question name in the instrument")
    label = serializers.CharField(help_text="The question's English wording")
    type = serializers.CharField(help_text="Question type (select_one, select_multiple)")
    option = serializers.CharField(help_text="Answer option name")
    count = serializers.IntegerField(help_text="Cities of the group that chose the option")
    valid = serializers.IntegerField(help_text="Cities of the group with a usable answer to the question")
    excluded = serializers.IntegerField(help_text="Cities of the group without one")
    share = serializers.FloatField(
        allow_null=True, help_text="count / valid (empty when no city of the group answered)"
    )


class PeerGroupSerializer(serializers.Serializer):
    programme = serializers.CharField()
    wave = serializers.CharField()
    code = serializers.CharField()
    kind = serializers.CharField()
    size = serializers.IntegerField()


class OutcomeSerializer(serializers.Serializer):
    city = serializers.CharField(source="city.slug")
    name = serializers.CharField(source="city.name")
    country = serializers.CharField(source="city.country")
    indicator = serializers.CharField(source="indicator.code")
    indicator_name = serializers.CharField(source="indicator.name")
    dimension = serializers.CharField(source="indicator.dimension")
    period = serializers.CharField()
    value = serializers.FloatField(help_text="As published by the source")
    unit = serializers.CharField()
    index_points = serializers.FloatField(allow_null=True, help_text="0-100, higher is better")
    n = serializers.IntegerField(allow_null=True)
    se = serializers.FloatField(allow_null=True)
    ci_lower = serializers.FloatField(allow_null=True)
    ci_upper = serializers.FloatField(allow_null=True)
    source = serializers.CharField()


class AnalysisSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    programme = serializers.CharField(source="wave.programme.slug")
    wave = serializers.CharField(source="wave.code")
    finished_at = serializers.DateTimeField()
    parameters = serializers.DictField()
    summary = serializers.DictField()
    tables = serializers.DictField(
        child=serializers.CharField(), help_text="Result tables as CSV text, by name"
    )
