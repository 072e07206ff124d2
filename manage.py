#!/usr/bin/env python
"""Django's command-line entry point for SI MBA UMI."""

import os
import sys
from pathlib import Path

# The project package lives in site/ (a top-level package named `site` would be
# shadowed by Python's own `site` module), so that folder goes on the path.
sys.path.insert(0, str(Path(__file__).resolve().parent / "site"))

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "simbaumi.settings.dev")

    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
