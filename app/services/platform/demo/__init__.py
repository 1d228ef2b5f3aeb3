"""The demo data set of `make run`: people, courses and plans (seeding), then a year of
learning through the real use cases (activity)."""
