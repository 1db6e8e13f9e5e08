"""What every area stands on: the database base, forms, languages, security, errors, links.

Nothing here imports an area (an import-linter contract holds it so)."""
