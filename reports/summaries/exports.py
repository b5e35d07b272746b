"""The summary's Excel annexes (per commune movement, the units' reports, support by giver), as the summary
stored them: the title block, the header, the rows and the total."""

from common.xlsx import Bold, xlsx_response

from .tables import ANNEX_FILES


def annex_xlsx(summary, name, annex):
    rows = [*annex["rows"], *([Bold(annex["total"])] if annex["total"] else [])]
    number = f"Số {summary.number}, ngày {summary.issued_on:%d/%m/%Y}" if summary.number else "Dự thảo"
    return xlsx_response(
        filename=f"{ANNEX_FILES[name]}-{summary.year}.xlsx",
        title=annex["title"][:31],
        heading=[annex["title"].upper(), f"Kèm theo Báo cáo tổng hợp năm {summary.year} ({number})"],
        header=annex["columns"],
        rows=rows,
        widths=[6, 30, *([14] * (len(annex["columns"]) - 2))],
        landscape=len(annex["columns"]) > 8,
    )
