"""The templates' url(): remembered for plain ids, yet always what reverse() answers now."""

from django.urls import reverse, set_script_prefix

from casefile.core.jinja2 import _reverse, url


def test_url_answers_as_reverse_does_and_is_remembered():
    _reverse.cache_clear()
    assert url("people:record", person_id=7) == reverse("people:record", kwargs={"person_id": 7})
    assert url("people:record", person_id=7) == "/people/7/"
    assert _reverse.cache_info().hits == 1
    assert url("people:record", person_id=8) == "/people/8/"  # another id is another link


def test_a_script_prefix_is_part_of_what_is_remembered():
    _reverse.cache_clear()
    assert url("people:record", person_id=7) == "/people/7/"
    set_script_prefix("/casefile/")
    try:
        assert url("people:record", person_id=7) == "/casefile/people/7/"
    finally:
        set_script_prefix("/")


def test_anything_but_ids_and_names_goes_straight_to_reverse():
    _reverse.cache_clear()

    class Key(int):  # not exactly an int: never kept (an object's str() could change)
        pass

    assert url("people:record", person_id=Key(7)) == "/people/7/"
    assert _reverse.cache_info().currsize == 0
