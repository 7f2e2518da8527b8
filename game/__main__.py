"""`python -m game` does what `homegrown` does."""

from game.cli import entry

if __name__ == "__main__":
    entry()
