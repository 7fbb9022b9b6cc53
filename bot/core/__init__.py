"""The answering core: knowledge, build, store, retrieval, answers. No Discord in here."""
