"""How answers become findings: branching, scoring, flags, missing answers, the time estimate. No storage, no Qt."""
