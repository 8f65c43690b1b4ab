"""The Evaluasi tab: the PEKPPP self-assessment of the facilities (scores, evidence, next steps)."""
