"""Drawings and reports: the subway map, the journey canvas, empathy maps, charts and the
self-contained HTML report, in Spanish, Portuguese and English. All text is escaped."""
