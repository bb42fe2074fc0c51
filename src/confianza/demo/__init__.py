"""The synthetic national registry (`confianza demo`, the benchmarks): a whole force built in one
set-based transaction."""
