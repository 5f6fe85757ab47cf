"""Run the command line with ``python -m zhanaozen_graph``."""

from .cli import main

if __name__ == "__main__":
    main()
