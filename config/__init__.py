"""Configuration, read in one place: `get_settings()`."""
from config.settings import KafkaSettings, RuleSettings, Settings, WorkerSettings, get_settings

__all__ = ["KafkaSettings", "RuleSettings", "Settings", "WorkerSettings", "get_settings"]
