"""Hostile strings every text field must survive: stored exactly (or refused clearly), shown as
text, never run."""

HOSTILE_STRINGS = [
    "<script>window.__pwned = 1</script>",
    '"><img src=x onerror="window.__pwned=1">',
    "<svg/onload=window.__pwned=1>",
    "javascript:window.__pwned=1",
    "{{ 7*7 }} {% debug %}",
    "'; DROP TABLE workshops_session; --",
    "Robert'); DELETE FROM participants_user;--",
    "\u202eevil\u202c right-to-left override",
    "zero\u200bwidth\u200djoiner",
    "Zoë Ñúñez 👩🏽‍🦳 ሰላም 你好 مرحبا",
    "a\u0301\u0302\u0303 combining",
    "line\u2028separator",
    '=HYPERLINK("http://evil.example")',
    "+SUM(1,2)",
    "@cmd",
    "-2+3",
    "&lt;already escaped&gt; &amp;",
    "\\x00 not a real null",
]

# Refused with a clear message, never stored, in every text field.
REFUSED_STRINGS = [
    "null \x00 byte",
    "bell \x07 and escape \x1b[31m red",
    "backspace\x08\x08 and form feed \x0c",
    "delete \x7f and a C1 control \x85\x9b",
    "x" * 10_000,
]

# Refused in one-line fields (titles, names); kept in multi-line text (ideas, answers).
REFUSED_ON_ONE_LINE = [
    "two\nlines",
    "carriage\rreturn",
    "a\ttab",
]

# Refused in a person's name: it could show as someone else's. Stored exactly elsewhere.
REFUSED_IN_NAMES = [
    "\u202eevil\u202c right-to-left override",
    "Jean \u2067Robertson\u2069 isolate",
    "embedding \u202bright\u202c and \u202aleft\u202c",
    "\u2066left isolate",
    "\u202dleft-to-right override",
]


def refused_message(text: str) -> str:
    """Part of the message a form shows for a string of REFUSED_STRINGS or REFUSED_IN_NAMES."""
    if len(text) > 2000:
        return "characters"
    if any("\u202a" <= c <= "\u202e" or "\u2066" <= c <= "\u2069" for c in text):
        return "change the direction of text"
    return "Remove the hidden control characters"


def short_id(text: str) -> str:
    """A readable test id for a corpus string."""
    return ascii(text[:30]) + (f"…({len(text)})" if len(text) > 30 else "")
