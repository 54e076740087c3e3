"""The families' form is built for every submit: what each new form shares with its class and what it owns."""

import re

from django import forms
from django.utils import translation

from opora.intake.forms import HotlineForm, PublicRequestForm

from .helpers import form_data


def _choice(form: forms.BaseForm, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


def test_every_form_shares_its_class_choices_and_owns_everything_it_may_change() -> None:
    first, second = PublicRequestForm(form_data()), PublicRequestForm(form_data())
    for name in ("author_role", "request_type", "preferred_reply"):
        one, other = _choice(first, name), _choice(second, name)
        assert one.choices is other.choices is _choice(PublicRequestForm(), name).choices
        assert one.widget is not other.widget
        assert one.widget.attrs is not other.widget.attrs
        assert one.error_messages is not other.error_messages
        assert one.validators is not other.validators
        assert list(one.widget.choices) == list(one.choices)


def test_one_forms_changes_stay_in_that_form() -> None:
    first, second = PublicRequestForm(form_data(author_role="")), PublicRequestForm(form_data())
    _choice(first, "request_type").choices = [("ejournal", "Электронный журнал")]
    first.fields["request_type"].widget.attrs["data-x"] = "1"
    first.fields["author_role"].error_messages["required"] = "другое"
    assert _choice(second, "request_type").choices == _choice(PublicRequestForm(), "request_type").choices
    assert list(_choice(first, "request_type").widget.choices) == [("ejournal", "Электронный журнал")]
    assert "data-x" not in second.fields["request_type"].widget.attrs
    assert first.is_valid() is False and first.errors["author_role"] == ["другое"]
    assert second.fields["author_role"].error_messages["required"] == "Выберите, кем Вы являетесь."
    assert second.is_valid(), second.errors


def test_a_choice_not_offered_is_refused_next_to_its_field() -> None:
    form = PublicRequestForm(form_data(request_type="погода"))
    assert not form.is_valid()
    assert "погода" in form.errors["request_type"][0]


def test_the_phone_field_asks_phones_for_their_number_keypad_once() -> None:
    html = str(PublicRequestForm()["phone"])
    assert re.findall(r'type="([^"]+)"', html) == ["tel"]
    assert 'inputmode="tel"' in html and 'autocomplete="tel"' in html


def test_every_required_field_without_words_of_its_own_says_fill_it_in() -> None:
    form = HotlineForm({})
    assert not form.is_valid()
    assert form.errors["called_at"] == ["Укажите дату и время звонка."]
    assert form.fields["route_to"].error_messages["required"] == "Заполните это поле."
    assert form.fields["phone"].error_messages["required"] == "Заполните это поле."
    assert PublicRequestForm().fields["website"].error_messages["required"] == "Заполните это поле."


def test_the_messages_follow_the_language_of_the_page() -> None:
    with translation.override("en"):
        form = PublicRequestForm(form_data(author_name="", consent=""))
        assert not form.is_valid()
        assert form.errors["author_name"] != ["Укажите ФИО."]
        assert form.errors["author_name"][0]
    with translation.override("ru"):
        form = PublicRequestForm(form_data(author_name=""))
        assert not form.is_valid()
        assert form.errors["author_name"] == ["Укажите ФИО."]
