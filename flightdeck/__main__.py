"""`python -m flightdeck` runs the command line."""

import sys

from flightdeck.cli.main import main

sys.exit(main())
