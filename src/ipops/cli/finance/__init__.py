"""`ipops finance ...`: enterprises, ratings, banks and products, loans, pledges, arrears,
policy funds (compensation calculator, claims, subsidies), disposal, statistics, working days.

One module per command group; importing them registers their commands on ``app`` (in the
order of ``ipops finance --help``).
"""

from ipops.cli.finance import banks, calculators, enterprises, loans, programme
from ipops.cli.finance.common import app

__all__ = ["app", "banks", "calculators", "enterprises", "loans", "programme"]
