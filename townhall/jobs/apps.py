from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "townhall.jobs"
    label = "jobs"
