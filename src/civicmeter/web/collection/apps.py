from django.apps import AppConfig


class CollectionConfig(AppConfig):
    name = "civicmeter.web.collection"
    label = "collection"
