"""The base layout: header without the crown, navigation for signed-in staff, messages, footer, titles."""

import re

from django.contrib import messages
from django.template import engines
from django.test import RequestFactory
from django.urls import reverse

from casefile.core import presenters


def nav_items(page: str) -> list[tuple[str, str, str]]:
    """(href, text, aria-current) for each service navigation link."""
    return [
        (href, re.sub(r"<[^>]+>|\s+", " ", text).strip(), current)
        for href, current, text in re.findall(
            r'<a class="govuk-service-navigation__link" href="([^"]+)"(?:\s*aria-current="(\w+)")?\s*>(.*?)</a>',
            page,
            re.S,
        )
    ]


def test_signed_in_staff_see_their_navigation_and_who_they_are(org, client):
    client.force_login(org.sam)
    page = client.get("/").content.decode()

    items = nav_items(page)
    assert items[0] == ("/", "My work", "page")
    assert ("My team" in [text for _, text, _ in items]) is True
    assert f'href="/teams/{org.assessment.pk}/"' in page
    assert "Demo Borough Council" in page
    assert "Signed in as Sam Worker (Social worker)" in page
    assert re.search(r'<form class="cf-inline-form" method="post" action="/accounts/logout/">\s*<input type="hidden"'
                     r' name="csrfmiddlewaretoken"', page)
    assert page.count('<button type="submit" class="govuk-footer__link cf-link-button">Sign out</button>') == 1


def test_someone_without_a_team_has_no_my_team_link(org, client):
    client.force_login(org.chris)
    page = client.get("/").content.decode()
    assert "My team" not in [text for _, text, _ in nav_items(page)]


def test_find_a_person_is_in_the_navigation(org, client):
    client.force_login(org.sam)
    assert (reverse("people:search"), "Find a person", "") in nav_items(client.get("/").content.decode())


def test_only_front_door_staff_and_administrators_have_the_front_door_link(org, client):
    for user, shown in ((org.fran, True), (org.mo, True), (org.mel, True), (org.ada, True), (org.sam, False),
                        (org.tess, False), (org.petra, False)):
        client.force_login(user)
        texts = [text for _, text, _ in nav_items(client.get("/").content.decode())]
        assert ("Front door" in texts) is shown, user.username


def test_the_header_is_the_generic_header_without_the_crown(db, client):
    page = client.get("/accounts/login/").content.decode()
    assert '<div class="govuk-generic-header">' in page
    assert 'class="govuk-generic-header__homepage-link">\n        Casefile\n' in page
    assert "govuk-logo" not in page and "govuk-footer__crown" not in page
    assert "Crown copyright" not in page and "Open Government Licence" not in page
    assert "GDS Transport" not in page
    assert 'href="/static/dist/casefile.css"' in page


def test_signed_out_pages_show_no_navigation_or_sign_out(db, client):
    page = client.get("/accounts/login/").content.decode()
    assert nav_items(page) == []
    assert "Sign out" not in page
    assert "Signed in as" not in page


def test_the_navigation_marks_the_section_a_page_belongs_to(org):
    request = RequestFactory().get(f"/teams/{org.assessment.pk}/members/")
    request.user = org.sam
    items = presenters.service_navigation(request)
    team = next(item for item in items if item["text"] == "My team")
    assert team.get("active") is True and "current" not in team
    my_work = next(item for item in items if item["text"] == "My work")
    assert "active" not in my_work  # "/" is a prefix of everything, so My work is only ever current

    named = presenters.service_navigation(request, active="my_work")
    assert next(item for item in named if item["text"] == "My work").get("active") is True


def render_page(request, template_source: str, context=None) -> str:
    template = engines["jinja2"].from_string(template_source)
    return template.render(context or {}, request=request)


def test_messages_show_in_notification_banners(org, client):
    from django.contrib.messages.storage.fallback import FallbackStorage

    request = RequestFactory().get("/")
    request.user = org.sam
    request.session = client.session
    request._messages = FallbackStorage(request)
    messages.success(request, "Referral saved")
    messages.info(request, "Lily's record was updated by <b>someone</b>")
    page = render_page(request, '{% extends "layouts/base.html" %}{% block content %}<h1>Page</h1>{% endblock %}')

    assert re.search(r'govuk-notification-banner--success"\s+role="alert"', page)
    assert '<p class="govuk-notification-banner__heading">Referral saved</p>' in page
    assert "Lily&#39;s record was updated by &lt;b&gt;someone&lt;/b&gt;" in page
    assert page.count('class="govuk-notification-banner__title"') == 2
    # Banners sit inside <main>, before the page's own heading.
    assert page.index('id="main-content"') < page.index("govuk-notification-banner") < page.index("<h1>Page</h1>")


def test_a_page_with_a_form_in_error_says_so_in_its_title(org):
    from django import forms

    class NameForm(forms.Form):
        name = forms.CharField()

    request = RequestFactory().get("/")
    request.user = org.sam
    source = '{% extends "layouts/base.html" %}{% set page_title = "Add a name" %}{% block content %}{% endblock %}'
    assert "<title>Error: Add a name – Casefile</title>" in render_page(request, source, {"form": NameForm(data={})})
    assert "<title>Add a name – Casefile</title>" in render_page(request, source, {"form": NameForm()})
    assert "<title>Casefile</title>" in render_page(request, '{% extends "layouts/base.html" %}')


def test_every_page_has_the_skip_link_and_one_main_landmark(org, client):
    client.force_login(org.sam)
    page = client.get("/").content.decode()
    assert '<a href="#main-content" class="govuk-skip-link" data-module="govuk-skip-link">' in page
    assert page.count('<main class="govuk-main-wrapper" id="main-content">') == 1
    assert '<html lang="en-GB" class="govuk-template">' in page


def test_the_demo_says_so_in_a_phase_banner(db, client, settings):
    settings.DEMO_MODE = True
    page = client.get("/accounts/login/").content.decode()
    assert "govuk-phase-banner" in page and "Every person and record in it is made up" in page


def test_pages_can_add_a_back_link_before_the_content(org, settings):
    settings.DEMO_MODE = True
    request = RequestFactory().get("/")
    request.user = org.sam
    source = (
        '{% extends "layouts/base.html" %}{% block beforeContent %}<a href="/" class="govuk-back-link">Back</a>'
        "{% endblock %}{% block content %}<h1>Page</h1>{% endblock %}"
    )
    page = render_page(request, source)
    assert page.index("govuk-phase-banner") < page.index("govuk-back-link") < page.index('id="main-content"')
