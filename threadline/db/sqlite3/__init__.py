"""SQLite, with writers queueing on a lock instead of polling (see ``base``)."""
