"""The terminal game: a Textual app over the same Session and core as the headless run."""
