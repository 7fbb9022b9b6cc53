"""Test suite: tests.core (answering core), tests.bot (Discord layer), tests.fake_discord (a fake Discord)."""
