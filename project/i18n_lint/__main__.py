"""`python -m project.i18n_lint`."""

import sys

from project.i18n_lint import main

# Only when run: the form sweep imports every module of the project to find its forms.
if __name__ == "__main__":
    sys.exit(main())
