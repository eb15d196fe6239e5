"""Hostile input: what people paste, what tools send and what attackers try.
Each entry is (name, text): the name says what it is, for test ids and messages.

Lone surrogates cannot be encoded as UTF-8, so no client sends them as such;
``RAW_PATHS`` carries their bytes (and other broken encodings) already
percent-encoded, as a hand-made request would."""

import unicodedata

WORD_LIMIT = 100  # the longest word the suggestion vocabulary holds (search.models.SuggestionWord)

CONTROL = [(f"U+{code:04X} {unicodedata.name(chr(code), 'control')}", f"a{chr(code)}b") for code in range(32)]
CONTROL += [("DEL", "a\x7fb"), ("NUL alone", "\x00"), ("C1 CSI", "a\x9bb"), ("NEL", "a\x85b")]

UNICODE = [
    ("line separator", "shared\u2028services"),
    ("paragraph separator", "shared\u2029services"),
    ("right-to-left override", "\u202eecivres derahs"),
    ("bidi embeddings and isolates", "\u202a\u202b\u202c\u2066\u2067\u2068\u2069waste"),
    ("direction marks", "\u200e\u200fwaste"),
    ("zero-width joiners", "sha\u200bred\u200c ser\u200dvices\u2060"),
    ("byte order mark", "\ufeffwaste"),
    ("non-characters", "waste\ufffe\uffff"),
    ("private use and the last code point", "\ue000\U0010ffff"),
    ("combining flood", "e" + "\u0301" * 5000),
    ("zalgo", "w\u0334\u0321\u031b\u0358a\u0337\u0322s\u0336t\u0335e\u0338" * 30),
    ("emoji", "waste \U0001f3db\ufe0f\U0001f469\U0001f3fd\u200d\U0001f4bc \U0001f1ec\U0001f1e7"),
    ("fullwidth", "\uff57\uff41\uff53\uff54\uff45"),
    ("other scripts", "\u0645\u062c\u0644\u0633 \u8b70\u4f1a \u0441\u043e\u0432\u0435\u0442"),
    ("dotless and dotted i", "\u0131\u0130 Istanbul"),
    ("a 101-character word", "a" * (WORD_LIMIT + 1)),
    ("a 10,000-character word", "w" * 10_000),
    ("10,000 short words", "waste " * 1_700),
    ("only spaces", "   "),
    ("empty", ""),
]

SYNTAX = [
    ("template variable", "{{ settings.SECRET_KEY }}"),
    ("template tag", "{% debug %}{% load static %}"),
    ("SQL comment", "'; --"),
    ("SQL always true", "' OR '1'='1' --"),
    ("SQL union", "waste' UNION SELECT password FROM auth_user --"),
    ("script", "<script>alert(1)</script>"),
    ("attribute breakout", '"><img src=x onerror=alert(1)>'),
    ("javascript link", "[x](javascript:alert(1))"),
    ("percent-encoded NUL, as text", "%00"),
    ("percent signs", "100% % %% %s %d"),
    ("path traversal", "../../../../etc/passwd"),
    ("encoded path traversal", "..%2F..%2Fetc%2Fpasswd"),
    ("Windows path", "..\\..\\windows\\win.ini"),
    ("LIKE wildcards", "%_%\\"),
    ("regular expression", "(a+)+$[^]*\\"),
    ("full-text operators", 'waste AND NOT (shared OR "legal NEAR(a b) * ^x col:y'),
    ("unbalanced quotes", "\"waste 'shared"),
    ("websearch syntax", '-waste or "shared'),
    ("JSON", '{"q": [1, {"$ne": null}]}'),
    ("CRLF header injection", "x\r\nSet-Cookie: a=b"),
    ("huge number", "9" * 40),
    ("negative number", "-1"),
    ("float", "1e309"),
    ("not a number", "NaN"),
    ("zero", "0"),
]

HOSTILE = CONTROL + UNICODE + SYNTAX

# Already percent-encoded, to go into an address as they are.
RAW_PATHS = [
    ("lone high surrogate, as WTF-8", "%ED%A0%80"),
    ("lone low surrogate, as WTF-8", "%ED%BF%BF"),
    ("broken UTF-8", "%C3%28%FF%FE"),
    ("overlong slash", "%C0%AF"),
    ("NUL", "%00"),
    ("NUL inside", "sha%00x"),
    ("encoded slash", "a%2Fb"),
    ("dot segments", "%2E%2E"),
]


def ids(entries) -> list[str]:
    return [name for name, _ in entries]
