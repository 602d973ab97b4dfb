"""Renderers of analysis results: terminal review, HTML review page, Excel workbook.

They take the analysis contract dicts (`Document.to_json()`), not Document
objects, so that the web platform can reuse them on stored results.
"""
