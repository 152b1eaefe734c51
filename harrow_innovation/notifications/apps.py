from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "harrow_innovation.notifications"
    label = "notifications"
    verbose_name = "Notifications and reminders"
