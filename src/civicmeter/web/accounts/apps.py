from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "civicmeter.web.accounts"
    label = "accounts"
