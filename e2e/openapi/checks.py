"""Schemathesis checks of Homeslot's own, loaded by e2e/openapi-fuzz.test.mjs.

`documented_input_is_accepted`: a request valid by edge/openapi.json must not be refused for its
shape (`invalid_json`, `validation_failed`, `payload_too_large`, `name_required`): the document
declares every constraint on a field that the API enforces, so a client generated from it sends
only what the API accepts. Refusals for the state of things (a taken slot, an unknown id: 404,
409, `service_unavailable`, …) and for what exists in the world (`invalid_phone`: a number its
country never allocated) are answers about the data, not the shape, and pass.

A few rules relate one part of a request to another, or to the rest of the catalog, and JSON
Schema cannot state them; each is listed in CROSS_FIELD_RULES with the words of the API's message,
and documented in docs/api.md and docs/catalog.md.
"""

import schemathesis
import hypothesis.internal.lambda_sources as _lambda_sources

# The same CPython 3.11 bug (below) hits anyio's lazy importer, which compiles its own sources the
# first time Schemathesis looks up its ASGI transport: mid-run, deep in a worker thread's stack,
# where it failed an operation ("AST constructor recursion depth mismatch"). Imported here, at
# load, on the main thread, it is compiled once before any request.
import schemathesis.transport.asgi  # noqa: F401  (imported for its side effect)

# CPython 3.11 can raise SystemError ("AST constructor recursion depth mismatch") from ast.parse
# on a large module; Hypothesis parses its own sources only to describe a lambda in a repr, and
# such a failure then ends a whole Schemathesis phase. The description is not needed: say unknown.
_describe = _lambda_sources._lambda_description


def _described(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


_lambda_sources._lambda_description = _described

SHAPE_CODES = {"invalid_json", "validation_failed", "payload_too_large", "name_required"}

# (what the API's message says, why no schema can say it)
CROSS_FIELD_RULES = [
    ("must match the URL", "the id in the body is the one in the address"),
    ("must be the one in the address", "the number in the body is the one in the address"),
    ("names no ", "a reference to another item of the catalog"),
    ("is not a ", "a reference to another item of the catalog"),
    ("is used twice", "ids are unique within the catalog"),
    ("is listed twice", "ids are unique within a list"),
    ("cannot be merged into themselves", "the two records of a merge are two"),
    ("appears twice in this import", "numbers are unique within an import"),
    ("a company needs at least one location", "the catalog keeps a location"),
    ("is not an IANA time zone", "the time zone must be one the runtime's database knows"),
    ("must not be before", "a range's end is not before its start"),
    ("A report covers at most", "a report's range is at most 366 days (from and to together)"),
    ("start must be before end", "a range's end is after its start"),
    ("must be in order and must not overlap", "the ranges of a day are in order"),
    ("give either a weekday or a date", "a class session repeats weekly or happens once"),
    ("one specialist id (or nothing, for any) per service", "as many specialists as services"),
    ("names which specialist of the catalog they are", "a specialist's invite names the specialist (the role decides)"),
    ("only a specialist's invite names a specialist", "only the specialist role names one"),
    ("an owner covers every location", "an owner's invite names no locations (the role decides)"),
    ("too easy to guess", "a password's strength is about its value, not its shape"),
    ("rows have problems", "an import's rows are checked like the memberships they are"),
    ("has no memberships", "an import has at least one row"),
    ("cannot exist", "a phone number its country never allocated (not a shape: the numbering plan's)"),
    ("Enter the phone number with its country code", "a national number is read in the owner's phone_country, if set"),
    ("naming a service of the company", "a promo's service: link names a service of the catalog"),
    ("too hard to read", "the owner's colours must keep WCAG AA contrast with the theme's"),
    ("is already the name of another link", "short links' names are unique"),
    ("since must be before until", "a replay's range ends after it starts"),
    ("a public address, not a private or internal one", "a webhook's host must be public: a fact about the address, not its shape"),
    ("a public address, not this machine", "a webhook's host must not be this machine"),
    ("an address with a host", "a bracketed IPv6 host must hold an address"),
]


def _json(response):
    try:
        return response.json()
    except Exception:
        return None


@schemathesis.check
def documented_input_is_accepted(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive:
        return None
    if response.status_code not in (400, 413, 422):
        return None
    body = _json(response) or {}
    error = body.get("error") or {}
    if error.get("code") not in SHAPE_CODES:
        return None
    message = error.get("message", "")
    if any(words in message for words, _ in CROSS_FIELD_RULES):
        return None
    raise AssertionError(
        f"valid by the document, refused for its shape: {error.get('code')} "
        f"(field {error.get('field')!r}): {message}"
    )
