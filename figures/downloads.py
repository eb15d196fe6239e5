"""Each figure's table as CSV: the same rows and totals the page shows, every
cell safe to open in a spreadsheet."""

import csv
import io

from core.spreadsheets import neutralise
from figures.charts import Figure


def figure_csv(figure: Figure) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([neutralise(column.label) for column in figure.columns])
    for row in [*figure.rows, *figure.foot]:
        writer.writerow([neutralise(value) for value in row])
    return out.getvalue()
