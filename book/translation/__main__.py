"""``python -m book.translation``: train a translator from the command line (see ``book.translation.cli``)."""

from book.translation.cli import main

main()
