"""Minutes as a PDF: the same words as the HTML page, rendered by WeasyPrint."""

from __future__ import annotations

from django.template.loader import render_to_string


def render_minutes_pdf(context: dict) -> bytes:
    """Render ``board/minutes/pdf.html`` with ``context`` to PDF bytes.

    The template carries its own print styles and no outside resources, so
    rendering never reaches the network.
    """
    from weasyprint import HTML

    html = render_to_string("board/minutes/pdf.html", context)
    return HTML(string=html, base_url=None, url_fetcher=_refuse_fetch).write_pdf()


def _refuse_fetch(url: str, *args, **kwargs):
    raise ValueError(f"Minutes PDFs load nothing from outside: {url}")
