"""Browser steps shared by the awards' e2e tests: opening a unit's list, entering an individual, completing a
nominee's dossier, a step of an inbox, and reading a downloaded PDF's text."""

import io
import re

from playwright.sync_api import Page, expect
from pypdf import PdfReader

from tests.awards.conftest import pdf_bytes


def pdf_file(name):
    """A small real PDF for a file input, under a Vietnamese name."""
    return {"name": name, "mimeType": "application/pdf", "buffer": pdf_bytes()}


def pdf_text(path):
    """The text of a downloaded PDF, its whitespace collapsed to single spaces."""
    with open(path, "rb") as handle:
        data = handle.read()
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages).split())


def open_awards(page: Page):
    page.get_by_test_id("nav-awards").click()
    expect(page).to_have_url(re.compile(r"/awards/$"))


def open_list(page: Page, occasion, unit):
    """Open (or reopen) `unit`'s list for `occasion` from the awards page."""
    open_awards(page)
    page.get_by_test_id("open-occasion").select_option(str(occasion.pk))
    page.get_by_test_id("open-unit").select_option(str(unit.pk))
    page.get_by_test_id("open-submit").click()
    expect(page.get_by_test_id("nomination-title")).to_contain_text(unit.name)


def complete_dossier(page: Page, criterion):
    """On a nominee's page: attach the achievement report, claim `criterion`, and go back to the list."""
    page.get_by_test_id("attach-kind").select_option("achievement")
    page.get_by_test_id("attach-input").set_input_files(pdf_file("Báo cáo thành tích.pdf"))
    page.get_by_test_id("attach-submit").click()
    expect(page.get_by_test_id("nominee-files")).to_contain_text("Báo cáo thành tích.pdf")
    page.get_by_test_id("claim-criterion").select_option(str(criterion.pk))
    page.get_by_test_id("claim-statement").fill("Tích cực lao động sản xuất, vươn lên thoát nghèo.")
    page.get_by_test_id("claim-add").click()
    expect(page.get_by_test_id("claim")).to_have_count(1)
    page.get_by_test_id("back-to-list").click()


def add_family(page: Page, award, household_code, achievements):
    """On a list: nominate the family of a registry household by its code."""
    form = page.get_by_test_id("nominee-form")
    form.get_by_test_id("field-kind").select_option("family")
    form.get_by_test_id("field-award_type").select_option(str(award.pk))
    form.get_by_test_id("field-household_code").fill(household_code)
    form.get_by_test_id("field-achievements").fill(achievements)
    form.get_by_test_id("nominee-save").click()


def add_individual(page: Page, award, full_name, birth_year="1975", sex="F", **fields):
    """On a list: nominate an individual; `fields` fills other inputs by name (position, workplace, cccd)."""
    form = page.get_by_test_id("nominee-form")
    form.get_by_test_id("field-kind").select_option("individual")
    form.get_by_test_id("field-award_type").select_option(str(award.pk))
    form.get_by_test_id("field-full_name").fill(full_name)
    form.get_by_test_id("field-birth_year").fill(birth_year)
    form.get_by_test_id("field-sex").select_option(sex)
    for name, value in fields.items():
        form.get_by_test_id(f"field-{name}").fill(value)
    form.get_by_test_id("field-achievements").fill("Vận động 12 hộ nghèo vay vốn, giúp 5 hộ thoát nghèo.")
    form.get_by_test_id("nominee-save").click()


def save_council(page: Page, votes_for="7", votes_total="9"):
    """On a list: record the council's vote with its minutes."""
    page.get_by_test_id("votes-for").fill(votes_for)
    page.get_by_test_id("votes-total").fill(votes_total)
    page.get_by_test_id("minutes-input").set_input_files(pdf_file("Biên bản họp Hội đồng.pdf"))
    page.get_by_test_id("council-save").click()
    expect(page.get_by_test_id("minutes-link")).to_contain_text("Biên bản họp Hội đồng.pdf")


def step_in_inbox(page: Page, stage, name, who, comment=None):
    """In the inbox of `stage`, press the step `name` on the row holding `who` (with a comment if given)."""
    page.goto(f"/awards/inbox/{stage}/")
    row = page.get_by_test_id("inbox-row").filter(has_text=who)
    if comment is not None:
        row.get_by_test_id(f"step-comment-{name}").fill(comment)
    row.get_by_test_id(f"step-{name}").click()
    expect(page.get_by_role("alert").filter(has_text=who)).to_be_visible()


def propose_to_chairman(page: Page, occasion, names):
    """As the Emulation Board: issue the proposal to the Chairman for `occasion` listing the nominees `names`."""
    page.goto("/awards/proposals/")
    page.get_by_test_id("new-board-proposal").click()
    choice = page.get_by_test_id("proposal-occasion")
    choice.select_option(str(occasion.pk))
    page.locator("form").filter(has=choice).get_by_role("button").click()
    form = page.get_by_test_id("proposal-form")
    for name in names:
        form.get_by_label(name, exact=False).check()
    page.get_by_test_id("proposal-submit").click()
    for name in names:
        expect(page.get_by_test_id("proposal-nominees")).to_contain_text(name)


def record_decision(page: Page, number, signed_on, signer, signer_title):
    """On the Board's proposal: record the Chairman's decision on every nominee it lists."""
    page.get_by_test_id("decision-number").fill(str(number))
    page.get_by_test_id("decision-signed-on").fill(signed_on.isoformat())
    page.get_by_test_id("decision-signer").fill(signer)
    page.get_by_test_id("decision-signer-title").fill(signer_title)
    page.get_by_test_id("decision-submit").click()


def download_decision(page: Page):
    """On a decision's page: have the worker render the decision, download it and return its text."""
    page.get_by_test_id("decision-pdf").click()
    expect(page.get_by_test_id("document-ready")).to_be_visible(timeout=90_000)
    with page.expect_download() as download:
        page.get_by_test_id("document-download").click()
    return pdf_text(download.value.path())
