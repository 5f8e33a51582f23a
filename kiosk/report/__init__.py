"""The clinician summary: what goes on it (`content`) and how it is drawn (`pdf`, imported lazily)."""
