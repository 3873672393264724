"""The web front end: server-rendered pages for cooperatives and supervisors, and the JSON API under /api."""
