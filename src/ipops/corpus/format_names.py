"""The source formats ``ipops corpus ingest`` reads (a light module: the CLI lists them
in its help without loading the readers)."""

FORMATS = ("auto", "uspto-xml", "patentsview", "cn-table")
