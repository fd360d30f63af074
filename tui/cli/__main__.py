"""``python -m tui.cli``: the ``bangfu`` command."""

import sys

from tui.cli.entry import main

sys.exit(main())
