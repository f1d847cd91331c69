"""IP pledge financing: enterprises and their IP, ratings, banks and products, matching,
pledges, loans, policy funds (宁创贷 compensation, risk subsidy), disposal, statistics.

Pure rules: ``money``, ``enterprises``, ``rating``, ``pd_model``, ``matching``, ``loans``,
``schedules``, ``policy``, ``compensation``, ``disposal``, ``workdays``. Storage and I/O:
``models``, ``service``, ``claims``, ``stats``; edges: ``views`` (API), ``ipops.cli.finance``,
``ipops.web.routes.finance``.
"""
