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

# Refused with a clear message, never stored.
REFUSED_STRINGS = [
    "null \x00 byte",
]
