"""Numbers read from query strings: only plain ASCII digits name an id, whatever else str.isdigit() accepts."""

import re

from django.http import Http404

_ID = re.compile(r"[0-9]{1,18}")  # at most 18 digits: always inside PostgreSQL's bigint


def query_id(params, name):
    """The id in `params[name]` (a QueryDict); None when it is absent or empty.

    Anything else that is not a positive id ('٣', '３', '²', '-1', '1.5', a 31-digit number) names no object:
    404, as for an id that does not exist.
    """
    value = params.get(name, "")
    if not value:
        return None
    if not _ID.fullmatch(value) or not int(value):
        raise Http404
    return int(value)
