"""Explanation-based auditing of reads (issue 19, ADR 0037): every read of an officer's record
explained, or not, by the work that justified it, from the trail and the registry's records."""
