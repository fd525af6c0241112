"""Reports drawn as PDF by WeasyPrint from an HTML template that carries its own print
styles (a PDF has no stylesheet files), and the same HTML as a web page, to check it or to
read it with assistive technology."""

import base64
import hashlib
import re
from typing import Any

from django.http import HttpResponse

from townhall.core.middleware import CSP


def style_hashes(html: str) -> list[str]:
    return [
        base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
        for css in re.findall(r"<style>(.*?)</style>", html, flags=re.S)
    ]


def html_page(html: str) -> HttpResponse:
    """The report as a web page. Its policy admits exactly the report's own `<style>`
    blocks, by their hash, and nothing else inline."""
    response = HttpResponse(html)
    hashes = " ".join(f"'sha256-{digest}'" for digest in style_hashes(html))
    response["Content-Security-Policy"] = CSP.replace(
        "style-src 'self'", f"style-src 'self' {hashes}"
    )
    return response


def document(html: str, base_url: str = "") -> Any:
    """The laid-out report (a weasyprint Document). It fetches nothing: no files, no
    network (allowed_protocols is empty), so text in a record can never make the server
    read a resource. WeasyPrint loads only when a report is drawn: it is slow to import."""
    import weasyprint
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols=())
    return weasyprint.HTML(string=html, base_url=base_url or None, url_fetcher=fetcher).render()


def pdf(html: str, base_url: str = "") -> bytes:
    return document(html, base_url).write_pdf(pdf_tags=True)
