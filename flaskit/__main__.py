"""``python -m flaskit``."""

from flaskit.cli import main

if __name__ == "__main__":
    main()
