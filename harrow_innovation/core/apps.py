from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "harrow_innovation.core"
    label = "core"
    verbose_name = "Service"
