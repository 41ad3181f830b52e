"""Presenting results: the terminal table and progress, JSON, HTML, Markdown, plots, LaTeX.

Imports the layers below; nothing below imports it.
"""
