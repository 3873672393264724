"""The domain: SQLAlchemy tables (the system of record), regions and the pure case rules."""
