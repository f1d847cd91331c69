"""Patent value: indicators over the whole corpus, explainable value scores (PVD), CNIPA's
high-value invention patents, and money value (relief from royalty).

Pure rules: ``fields`` (WIPO technology fields), ``catalogue`` (the indicators),
``indicator_sql`` (their set-wise SQL), ``status`` (legal status and term), ``schemes``
(weighting files), ``scoring``, ``highvalue``, ``money``. I/O: ``service`` (DuckDB,
Parquet under the workspace, the registry) and ``models`` (``ValuationRun``).
See docs/valuation.md.
"""
