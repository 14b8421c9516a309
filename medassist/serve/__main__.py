"""`python -m medassist.serve` (`make demo`): the demo and its API; --help for its settings."""

from medassist.core.cli import run
from medassist.serve.app import __doc__ as usage
from medassist.serve.app import main

run(main, usage)
