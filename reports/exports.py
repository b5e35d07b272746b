"""Statistic forms as Excel files: the title block (form, unit, year), then each section of the form under its
own bold title and header, as the PDF prints them."""

from common.xlsx import Bold, xlsx_response

from .documents import form_filename


def form_xlsx(form, *, all_communes=False):
    first, *others = form.sections
    rows = list(first.rows)
    for section in others:
        rows += [[], Bold([section.title]), Bold(section.columns), *section.rows]
    rows += [[], *([f"Ghi chú: {note}"] for note in form.notes)]
    return xlsx_response(
        filename=form_filename(form.spec.code, form.unit, form.year, all_communes=all_communes, extension="xlsx"),
        title=form.spec.title[:31],
        heading=[*form.heading, first.title],
        header=first.columns,
        rows=rows,
        widths=[5, 28, *([12] * (first.width - 2))],
        landscape=form.landscape,
    )
