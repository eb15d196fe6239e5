from casestudies.richtext import render_markdown


def test_typed_html_is_escaped_not_run():
    html = render_markdown('<script>alert("x")</script> <img src=x onerror=alert(1)>')

    assert "<script" not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_javascript_links_are_never_links():
    html = render_markdown("[click](javascript:alert(1)) and [ok](https://example.org)")

    assert 'href="javascript' not in html
    assert html.count("<a ") == 1
    assert '<a href="https://example.org" rel="nofollow noopener">ok</a>' in html


def test_headings_start_at_h2_because_the_page_owns_h1():
    html = render_markdown("# Top\n\n## Next")

    assert "<h1" not in html
    assert "<h2>Top</h2>" in html
    assert "<h3>Next</h3>" in html


def test_lists_and_emphasis_survive():
    html = render_markdown("- one **bold**\n- two")

    assert "<ul>" in html and "<strong>bold</strong>" in html


def test_null_bytes_are_dropped():
    assert "\x00" not in render_markdown("a\x00b")
