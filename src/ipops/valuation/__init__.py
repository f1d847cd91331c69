"""Patent value: indicators over the whole corpus, explainable value scores (PVD), CNIPA's
high-value invention patents, and money value (relief from royalty).

Pure rules: ``fields`` (WIPO technology fields), ``catalogue`` (the indicators),
``indicator_sql`` (their set-wise SQL), ``status`` and ``term`` (legal status and term),
``schemes`` (weighting files), ``scoring``, ``highvalue``, ``money``.
Use cases (DuckDB, Parquet under the workspace, the registry): ``indicators`` (the
indicators file, the data cut-off), ``runs`` (scoring runs), ``rankings`` (top patents, one
patent's value card), ``screening`` (high-value patents), ``legal_terms`` (remaining term),
``appraisal`` (money valuation); ``models`` (``ValuationRun``); ``facade`` (``ValueAPI`` for
scripts); ``service`` re-exports the use cases under their former path.
See docs/valuation.md.
"""
