"""Talent War Bot: cited answers about the AI talent war, on Discord and the command line."""
