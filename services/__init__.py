"""The service layer: handlers that apply commands to the database in batches, one transaction each."""
