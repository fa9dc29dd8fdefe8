"""One file per schema revision, oldest first: ``r0001_schema.py``, ``r0002_...``."""
