"""Accessible PDFs: tagged PDF/UA with a language and title, the marking on every page, and no network."""

from __future__ import annotations

import base64
import io

import pypdf
from PIL import Image

from casefile.core.pdf import OFFICIAL_SENSITIVE, html_to_pdf, pdf_response


def _document(body: str, title: str = "A test letter") -> str:
    return (f'<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{title}</title></head>'
            f"<body>{body}</body></html>")


def _reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def _page_texts(pdf: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in _reader(pdf).pages]


TABLE = ('<h1>Visits</h1><table><thead><tr><th scope="col">Date</th><th scope="col">Visit</th></tr></thead>'
         "<tbody>" + "".join(f'<tr><th scope="row">{n} March</th><td>Visit number {n}</td></tr>' for n in range(1, 80))
         + "</tbody></table>")


def test_the_pdf_is_tagged_with_language_title_and_table_structure():
    reader = _reader(html_to_pdf(_document(TABLE)))
    catalog = reader.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert reader.metadata.title == "A test letter"
    root = catalog["/StructTreeRoot"].get_object()
    assert root["/Type"] == "/StructTreeRoot"
    tags = _structure_tags(root["/K"])
    assert {"/H1", "/Table", "/TH", "/TD"} <= tags


def _structure_tags(node) -> set[str]:
    """Every structure element type (/H1, /Table, /TH ...) in the PDF's tag tree under `node`."""
    node = node.get_object()
    if isinstance(node, list):
        return set().union(*(_structure_tags(child) for child in node))
    if not isinstance(node, dict):
        return set()
    tags = {node["/S"]} if "/S" in node else set()
    return tags | (_structure_tags(node["/K"]) if "/K" in node else set())


def test_every_page_carries_the_marking_and_its_number():
    texts = _page_texts(html_to_pdf(_document(TABLE)))
    assert len(texts) > 1
    for number, text in enumerate(texts, start=1):
        assert text.count(OFFICIAL_SENSITIVE) == 2, number  # top and bottom
        assert f"Page {number} of {len(texts)}" in text


def test_a_different_marking_and_page_size_can_be_asked_for():
    pdf = html_to_pdf(_document("<p>Hello</p>"), marking='OFFICIAL "test"',
                      stylesheets=["@page { size: A4 landscape; }"])
    page = _reader(pdf).pages[0]
    assert "OFFICIAL test" in _page_texts(pdf)[0]
    assert page.mediabox.width > page.mediabox.height


def test_the_text_is_set_in_liberation_sans():
    page = _reader(html_to_pdf(_document("<p>Hello</p>"))).pages[0]
    fonts = page["/Resources"]["/Font"]
    names = {str(fonts[name].get_object()["/BaseFont"]) for name in fonts}
    assert names and all("Liberation-Sans" in name for name in names), names


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _has_image(pdf: bytes) -> bool:
    resources = _reader(pdf).pages[0]["/Resources"]
    return "/XObject" in resources and any(
        obj.get_object().get("/Subtype") == "/Image" for obj in resources["/XObject"].values())


def test_nothing_outside_the_document_is_fetched(tmp_path):
    image = tmp_path / "secret.png"
    image.write_bytes(_png())
    inline = "data:image/png;base64," + base64.b64encode(_png()).decode()
    assert _has_image(html_to_pdf(_document(f'<img src="{inline}" alt="A red square">')))  # the control
    assert not _has_image(html_to_pdf(_document(f'<img src="file://{image}" alt="A red square">')))
    assert not _has_image(html_to_pdf(_document('<img src="http://127.0.0.1:9/x.png" alt="Remote">')))


def test_the_response_is_a_download_that_is_never_cached():
    response = pdf_response(b"%PDF-1.7 test", "chronology-CF00000001-2024-05-01.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="chronology-CF00000001-2024-05-01.pdf"'
    assert response["Cache-Control"] == "no-store"
    assert response.content == b"%PDF-1.7 test"
