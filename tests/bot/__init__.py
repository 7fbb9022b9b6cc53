"""Tests of the Discord layer, against tests.fake_discord."""
