"""Emails to Satgas supervisors and cooperatives: case alerts, reminders, the weekly escalation email (issue 4)."""
