"""The work plan: parsing the source annex, seeding and reading the plan."""
