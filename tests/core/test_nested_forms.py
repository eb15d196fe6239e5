"""No form is opened inside another form, in any template, counting what each one
includes. A browser drops the inner <form> tag, so the inner form's button submits
the outer form instead ("Follow this search" once re-ran the search).

Read from the template sources, with every {% include "..." %} written out in place,
so a form in an include used inside a form counts."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"
COMMENTS = re.compile(r"{%\s*comment\s*%}.*?{%\s*endcomment\s*%}|{#.*?#}", re.DOTALL)
INCLUDE = re.compile(r"""{%\s*include\s+["']([^"']+)["'][^%]*%}""")
FORM_TAGS = re.compile(r"<form\b|</form\s*>|{%\s*block\s+\w+", re.IGNORECASE)


def expanded(name: str, root: Path, seen: tuple[str, ...] = ()) -> str:
    assert name not in seen, f"{name} includes itself: {' > '.join(seen)}"
    source = COMMENTS.sub("", (root / name).read_text(encoding="utf-8"))
    return INCLUDE.sub(lambda match: expanded(match.group(1), root, (*seen, name)), source)


def nesting_problems(name: str, root: Path = TEMPLATES) -> list[str]:
    problems, depth = [], 0
    for tag in FORM_TAGS.findall(expanded(name, root)):
        tag = tag.lower()
        if tag.startswith("{%"):
            # A child template's blocks are filled in here: they must not land inside a form.
            if depth:
                problems.append(f"{name}: {tag.split()[-1]} block inside a form")
        elif tag.startswith("</"):
            depth -= 1
        else:
            if depth:
                problems.append(f"{name}: a form inside a form")
            depth += 1
    return problems


def test_no_template_opens_a_form_inside_a_form():
    names = sorted(str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html"))
    assert len(names) > 20
    assert [problem for name in names for problem in nesting_problems(name)] == []


def test_the_check_sees_a_form_in_an_include_inside_a_form(tmp_path):
    (tmp_path / "outer.html").write_text('<form method="get">{% include "inner.html" %}</form>')
    (tmp_path / "inner.html").write_text('<form method="post"><button>Go</button></form>')

    assert nesting_problems("outer.html", tmp_path) == ["outer.html: a form inside a form"]
