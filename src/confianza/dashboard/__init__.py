"""The coverage dashboard: the nation, a state or an agency at a glance, and its public page with
small counts withheld."""
