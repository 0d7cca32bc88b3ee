"""`python -m project.i18n_lint`."""

import sys

from project.i18n_lint import main

sys.exit(main())
