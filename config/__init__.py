"""Configuration, read in one place: `get_settings()`."""
from config.settings import KafkaSettings, RuleSettings, SchedulerSettings, Settings, WebSettings, WorkerSettings, get_settings

__all__ = ["KafkaSettings", "RuleSettings", "SchedulerSettings", "Settings", "WebSettings", "WorkerSettings", "get_settings"]
