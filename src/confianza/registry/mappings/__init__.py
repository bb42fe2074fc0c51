"""Mapping files for known rosters, shipped with the package (see `confianza officers import`)."""
