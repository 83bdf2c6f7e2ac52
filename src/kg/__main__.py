"""``python -m kg`` runs the ``kg`` command line."""

from .cli import main

main()
