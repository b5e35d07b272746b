"""Ids, years and pages read from query strings and paths: whatever a user types or pastes into the address bar
(digits of another script, a 31-digit number, a minus sign, nothing at all), the answer is a page, a 400 or a
404 — never a server error."""

import pytest
from django.test import Client
from django.urls import reverse

from units.roles import Role

BAD_NUMBERS = [
    "٣",  # Arabic-Indic three: str.isdigit() and int() accept it
    "３",  # full-width three
    "²",  # superscript two: str.isdigit() accepts it, int() raises
    "①",
    str(10**30),
    "9223372036854775808",  # one past PostgreSQL's bigint
    "2147483648",  # one past PostgreSQL's integer
    "-1",
    "0",
    "",
    " 1 ",
    "1.5",
    "1e3",
    "Hà Nội",
]

# (url name, query parameter) for every page that reads a number from its query string.
QUERY_NUMBERS = [
    ("households:list", "year"),
    ("households:list", "commune"),
    ("households:list", "village"),
    ("households:list", "page"),
    ("households:export", "year"),
    ("households:export", "village"),
    ("households:queue", "page"),
    ("households:next_code", "village"),
    ("households:progress", "unit"),
    ("households:progress", "year"),
    ("households:movement", "unit"),
    ("households:movement", "year"),
    ("imports:list", "page"),
    ("imports:upload", "unit"),
    ("imports:template", "unit"),
    ("imports:export_members", "year"),
    ("imports:export_reviews", "village"),
    ("units:list", "as_of"),
    ("documents:list", "page"),
    ("rates:list", "unit"),
    ("rates:list", "year"),
]

# Pages whose path carries an id or a year.
PATH_NUMBERS = [
    ("households:detail", ["pk"]),
    ("households:review", ["pk", "year"]),
    ("units:detail", ["pk"]),
    ("units:export", ["pk"]),
    ("imports:job", ["pk"]),
    ("imports:status", ["pk"]),
    ("imports:export", ["pk"]),
    ("documents:document", ["pk"]),
    ("rates:detail", ["pk"]),
    ("rates:missing", ["pk"]),
    ("awards:nomination", ["pk"]),
    ("awards:nominee", ["pk"]),
    ("awards:nominee_file", ["pk"]),
]


@pytest.fixture
def admin_client(tree, make_user):
    """A superuser (every page but recognition) who also leads a commune (the leader's queue)."""
    client = Client(raise_request_exception=False)
    client.force_login(make_user(Role.COMMUNE_LEADER, tree.commune("13249"), is_superuser=True, is_staff=True))
    return client


@pytest.mark.parametrize(("name", "parameter"), QUERY_NUMBERS)
def test_a_bad_number_in_a_query_string_is_never_a_server_error(admin_client, name, parameter):
    answers = {}
    for value in BAD_NUMBERS:
        query = {parameter: value, **({"kind": "households"} if name == "imports:template" else {})}
        response = admin_client.get(reverse(name), query)
        # A redirect is an answer only when it does not send the user back to sign in (the test would reach nothing).
        login = response.status_code == 302 and response["Location"].startswith(reverse("login"))
        answers[value] = "login" if login else response.status_code
    assert {value: status for value, status in answers.items() if status not in (200, 302, 400, 404)} == {}


@pytest.mark.parametrize("value", ["poor-²", "poor-٣", "poor-３", "near_poor-99", "poor-", "-7", "x", "poor-7-1"])
def test_a_bad_movement_cell_on_the_household_list_is_never_a_server_error(admin_client, value):
    status = admin_client.get(reverse("households:list"), {"movement": value, "year": "2024"}).status_code
    assert status in (200, 400, 404)


@pytest.mark.parametrize(("name", "keys"), PATH_NUMBERS)
def test_a_huge_number_in_a_path_is_not_found(admin_client, name, keys):
    for value in (str(10**30), "9223372036854775808", "2147483648", "32768"):
        url = reverse(name, kwargs=dict.fromkeys(keys, 1)).replace("/1/", f"/{value}/")
        assert admin_client.get(url).status_code == 404, url


@pytest.mark.parametrize("value", ["٣", "３", "²", str(10**30), "-1"])
@pytest.mark.parametrize("name", ["households:progress", "households:movement", "imports:template"])
def test_a_unit_that_is_not_an_id_is_not_found(admin_client, tree, name, value):
    """'?unit=٣' is not unit 3: only ASCII digits name a unit."""
    query = {"unit": value, "kind": "households"}
    assert admin_client.get(reverse(name), query).status_code == 404
    query["unit"] = str(tree.commune("13249").pk)
    assert admin_client.get(reverse(name), query).status_code == 200
