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


class CitySerializer(serializers.Serializer):
    programme = serializers.CharField()
    wave = serializers.CharField()
    city = serializers.CharField(help_text="Slug: name and ISO country code")
    name = serializers.CharField()
    country = serializers.CharField()
    continent = serializers.CharField(allow_null=True)
    synthetic = serializers.BooleanField(help_text="Demo city whose answers are generated, not real")
    region = serializers.CharField(allow_blank=True)
    population = serializers.IntegerField(allow_null=True)
    population_year = serializers.IntegerField(allow_null=True)
    latitude = serializers.FloatField(allow_null=True)
    longitude = serializers.FloatField(allow_null=True)
    profile = serializers.DictField(
        child=serializers.CharField(), help_text="Profile facts the city agreed to publish"
    )


class ComponentSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    points = serializers.FloatField()
    max = serializers.FloatField()


class ResultSerializer(serializers.Serializer):
    programme = serializers.CharField()
    wave = serializers.CharField()
    city = serializers.CharField()
    name = serializers.CharField()
    country = serializers.CharField()
    continent = serializers.CharField(allow_null=True)
    synthetic = serializers.BooleanField()
    index = serializers.CharField(help_text="psi-capacity (0-10) or data-use")
    recipe_version = serializers.CharField()
    score = serializers.FloatField()
    share = serializers.FloatField(help_text="Score as a share of its maximum")
    score_class = serializers.CharField()
    tier = serializers.CharField(allow_blank=True)
    rank = serializers.IntegerField()
    rank_p5 = serializers.FloatField(help_text="5th percentile of the rank under uncertainty")
    rank_median = serializers.FloatField()
    rank_p95 = serializers.FloatField(help_text="95th percentile of the rank under uncertainty")
    components = ComponentSerializer(many=True)


class ShareSerializer(serializers.Serializer):
    programme = serializers.CharField()
    wave = serializers.CharField()
    peer_group = serializers.CharField(help_text="all, continent:EU, population_band:250000-499999")
    peer_group_size = serializers.IntegerField(help_text="Public cities in the group")
    question = serializers.CharField()
    label = serializers.CharField(help_text="The question's English wording")
    type = serializers.CharField()
    option = serializers.CharField()
    count = serializers.IntegerField(help_text="Cities of the group that chose the option")
    valid = serializers.IntegerField(help_text="Cities of the group with a usable answer")
    excluded = serializers.IntegerField(help_text="Cities of the group without one")
    share = serializers.FloatField(allow_null=True, help_text="count / valid")


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
