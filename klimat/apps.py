from django.apps import AppConfig


class KlimatConfig(AppConfig):
    name = "klimat"
    verbose_name = "Klimatkommunerna"
