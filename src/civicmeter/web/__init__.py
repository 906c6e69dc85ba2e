"""The Django project: settings, URLs and the apps that store and serve Civicmeter's data."""
