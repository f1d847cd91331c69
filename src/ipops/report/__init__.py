"""Industry patent landscape reports (产业专利分析报告) in HTML and PDF, from the corpus.

``service.generate(store, ReportRequest(query, lang), Path("report.html"))``; see
docs/reports.md.
"""
