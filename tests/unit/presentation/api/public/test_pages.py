"""The pages behind links: handlers' text is escaped, forms carry the token."""

from __future__ import annotations

from clinic.application.shared.links import LinkChoice, LinkPage
from clinic.presentation.api.public import pages


class TestRender:
    def test_handler_text_is_escaped_not_markup(self) -> None:
        page = LinkPage(
            "<script>alert(1)</script>",
            ('<img src=x onerror="alert(1)">',),
            (LinkChoice('"><b>', "<i>Да</i>"),),
        )

        html = pages.render(page, token="tok")

        assert "<script>alert" not in html
        assert "<img" not in html
        assert "<i>Да" not in html
        assert "&lt;script&gt;" in html
        assert 'value="&#34;&gt;&lt;b&gt;"' in html

    def test_choices_post_back_with_the_token(self) -> None:
        page = LinkPage(
            "Визит", choices=(LinkChoice("yes", "Подтверждаю"),), comment_label="Почему?"
        )

        html = pages.render(page, token="abc.def")

        assert '<form method="post">' in html
        assert '<input type="hidden" name="token" value="abc.def">' in html
        assert '<button type="submit" name="choice" value="yes">Подтверждаю</button>' in html
        assert '<textarea id="comment" name="comment"' in html

    def test_a_page_without_a_token_has_no_form(self) -> None:
        page = LinkPage("Визит", choices=(LinkChoice("yes", "Да"),))

        assert "<form" not in pages.render(page)

    def test_the_invalid_link_page_is_in_russian_and_for_phones(self) -> None:
        html = pages.render(pages.INVALID)

        assert "Ссылка недействительна или устарела" in html
        assert 'name="viewport"' in html
        assert 'lang="ru"' in html

    def test_the_too_many_page_says_how_long_to_wait(self) -> None:
        assert "через 10 мин." in pages.render(pages.too_many(600))
        assert "через 1 мин." in pages.render(pages.too_many(5))
