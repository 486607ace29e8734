"""The committed CSS and JavaScript: built from GOV.UK and MoJ Frontend, Arial only, nothing missing."""

import re
from pathlib import Path

from django.conf import settings

STATIC = Path(settings.BASE_DIR) / "casefile" / "static"
CSS = (STATIC / "dist" / "casefile.css").read_text()


def relative_luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground: str, background: str) -> float:
    lighter, darker = sorted((relative_luminance(foreground), relative_luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_the_css_uses_arial_and_never_the_gds_transport_font():
    assert "GDS Transport" not in CSS
    assert "@font-face" not in CSS
    assert "font-family:arial,sans-serif" in CSS


def test_the_css_has_govuk_and_moj_components_and_casefile_styles():
    for selector in (".govuk-button", ".govuk-generic-header", ".govuk-service-navigation", ".govuk-error-summary",
                     ".govuk-date-input", ".moj-badge", ".moj-sub-navigation", ".cf-missing", ".cf-link-button"):
        assert selector in CSS, selector


def test_every_file_the_css_refers_to_is_built():
    urls = re.findall(r"url\(\s*[\"']?([^\"')]+)", CSS)
    assert urls
    for url in urls:
        assert url.startswith("/static/govuk/assets/"), url
        assert (STATIC / url.removeprefix("/static/")).is_file(), url


def test_govuk_assets_are_copied_without_the_fonts():
    assets = STATIC / "govuk" / "assets"
    assert (assets / "manifest.json").is_file()
    assert (assets / "images" / "favicon.svg").is_file()
    assert not (assets / "fonts").exists()


def test_missing_data_is_grey_italic_with_aa_contrast():
    rule = re.search(r"\.cf-missing\{([^}]*)\}", CSS).group(1)
    assert "font-style:italic" in rule
    colour = re.search(r"#[0-9a-fA-F]{6}", rule).group(0)
    assert contrast(colour, "#ffffff") >= 4.5
    # Also on the light grey of summary-list and table stripes.
    assert contrast(colour, "#f3f2f1") >= 4.5


def test_the_javascript_starts_govuk_and_moj_frontend_from_files_that_exist():
    main = (STATIC / "dist" / "casefile.js").read_text()
    imports = re.findall(r'import \{ initAll as \w+ \} from "\./([^"]+)";', main)
    assert imports == ["govuk-frontend.mjs", "moj-frontend.mjs"]
    for name in imports:
        module = (STATIC / "dist" / name).read_text()
        assert re.search(r"export \{[^}]*\binitAll\b", module)
        assert "sourceMappingURL" not in module
    assert "initGovukFrontend();" in main and "initMojFrontend();" in main
