"""Time-based duties: the daily sweep and follow-ups, the weekly escalation run, on APScheduler."""
