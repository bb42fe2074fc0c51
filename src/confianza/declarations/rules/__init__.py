"""Declarations as values, the S1 form they are read from and written in, the pay scale and
the checks: pure."""
