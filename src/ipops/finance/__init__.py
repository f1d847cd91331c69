"""IP pledge financing: enterprises and their IP, ratings, banks and products, matching,
pledges, loans, policy funds (宁创贷 compensation, risk subsidy), statistics.

Pure rules: ``money``, ``enterprises``, ``rating``, ``pd_model``, ``matching``, ``loans``,
``schedules``, ``policy``, ``compensation``, ``rates``, ``workdays``. Use cases (storage and
I/O): ``enterprise_book`` (enterprises, patent links), ``rating_book`` (ratings, PD model),
``product_book`` (banks, products), ``balances``, ``applications`` (collateral, matching,
submission), ``loan_book`` (lifecycle, schedules, repayments, listing), ``arrears``,
``pledges``, ``claims``, ``stats``, ``dashboard``; ``models`` the tables. Edges: ``views``
(API), ``ipops.cli.finance``, ``ipops.web.routes.finance``; ``facade`` the Python API.
"""
