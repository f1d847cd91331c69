"""The report's sections, one module each: SQL over the scope tables, then a pure step that
turns the rows into tables, charts and sentences in the report's language."""
