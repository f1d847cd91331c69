"""Innovation geography: hotspots (clusters) with fractional counting, collaboration."""
