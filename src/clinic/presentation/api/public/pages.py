"""The small HTML pages a patient sees on a phone after opening a link from a message.

Rendered by a sandboxed, autoescaping Jinja2 environment: handlers' text is data, never markup.
"""

from __future__ import annotations

from jinja2 import DictLoader
from jinja2.sandbox import SandboxedEnvironment

from clinic.application.shared.links import LinkPage

PAGE = """<!doctype html>
<html lang="ru">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex, nofollow">
<title>{{ page.title }}</title>
<style>
body{font-family:system-ui,-apple-system,sans-serif;margin:0;padding:1.5rem 1rem;
background:#f5f7fa;color:#1f2933;line-height:1.5}
main{max-width:28rem;margin:0 auto;background:#fff;border-radius:.75rem;padding:1.5rem;
box-shadow:0 1px 3px rgba(0,0,0,.1)}
h1{font-size:1.35rem;margin:0 0 1rem}
button{display:block;width:100%;font-size:1.05rem;padding:.8rem;margin:.6rem 0;border:0;
border-radius:.5rem;background:#2563eb;color:#fff}
textarea{width:100%;box-sizing:border-box;min-height:6rem;font:inherit}
</style>
</head>
<body>
<main>
<h1>{{ page.title }}</h1>
{% for paragraph in page.paragraphs %}<p>{{ paragraph }}</p>
{% endfor %}
{% if token and page.choices %}
<form method="post">
<input type="hidden" name="token" value="{{ token }}">
{% if page.comment_label %}
<label for="comment">{{ page.comment_label }}</label>
<textarea id="comment" name="comment" maxlength="2000"></textarea>
{% endif %}
{% for choice in page.choices %}
<button type="submit" name="choice" value="{{ choice.value }}">{{ choice.label }}</button>
{% endfor %}
</form>
{% endif %}
</main>
</body>
</html>
"""

INVALID = LinkPage(
    "Ссылка недействительна или устарела",
    ("Попросите клинику прислать новую ссылку или позвоните нам.",),
)
REFUSED = LinkPage(
    "Запрос отклонён", ("Откройте ссылку из сообщения ещё раз и повторите действие.",)
)
UNANSWERED = LinkPage("Выберите один из вариантов", ("Вернитесь назад и нажмите одну из кнопок.",))


def too_many(retry_after: float) -> LinkPage:
    minutes = max(1, round(retry_after / 60))
    return LinkPage("Слишком много запросов", (f"Попробуйте ещё раз через {minutes} мин.",))


_environment = SandboxedEnvironment(autoescape=True, loader=DictLoader({"page.html": PAGE}))


def render(page: LinkPage, token: str | None = None) -> str:
    """The page as HTML; with `token`, its choices become a form that posts back to the link."""
    return _environment.get_template("page.html").render(page=page, token=token)
