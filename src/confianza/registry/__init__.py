"""The national registry: officers and their identities, agencies and units, careers (postings,
badges), roster imports."""
