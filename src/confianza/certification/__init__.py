"""Certification: decisions on evaluations (two people for an adverse one), appeals and
separations, the CUP and its components, standing and coverage lists."""
