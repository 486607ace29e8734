"""How the insight tests read a PDF: tagged PDF/UA (as core/tests/test_pdf.py checks), its title, language, the
structure tags in its tag tree and its text."""

from __future__ import annotations

import io

import pypdf


def reader(pdf: bytes) -> pypdf.PdfReader:
    return pypdf.PdfReader(io.BytesIO(pdf))


def structure_tags(node) -> list[str]:
    """Every structure element type (/H1, /Table, /Figure ...) in the tag tree under `node`, in order."""
    node = node.get_object()
    if isinstance(node, list):
        return [tag for child in node for tag in structure_tags(child)]
    if not isinstance(node, dict):
        return []
    tags = [node["/S"]] if "/S" in node else []
    return tags + (structure_tags(node["/K"]) if "/K" in node else [])


def figure_alts(node) -> list[str]:
    """The alternative text of every /Figure in the tag tree."""
    node = node.get_object()
    if isinstance(node, list):
        return [alt for child in node for alt in figure_alts(child)]
    if not isinstance(node, dict):
        return []
    found = [str(node.get("/Alt", ""))] if node.get("/S") == "/Figure" else []
    return found + (figure_alts(node["/K"]) if "/K" in node else [])


def assert_tagged(pdf: bytes, title: str) -> pypdf.PdfReader:
    """PDF/UA-1: marked, tagged, in English, with its title shown; returns the reader."""
    read = reader(pdf)
    catalog = read.trailer["/Root"]
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "en-GB"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert read.metadata.title == title
    assert 'pdfuaid:part="1"' in read.xmp_metadata.rdf_root.toxml()  # claims PDF/UA-1
    assert catalog["/StructTreeRoot"].get_object()["/Type"] == "/StructTreeRoot"
    return read


def text(pdf: bytes) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in reader(pdf).pages)
