"""`python -m experiments ...` is the `downline` command."""

import sys

from experiments.cli import main

sys.exit(main())
