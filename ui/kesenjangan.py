"""Kesenjangan: coverage per administrative unit as a table, a chart and a choropleth.

The chart is a Vega-Lite spec written here (what Altair would write for it): the page's first
run does not load Altair, a second or so on a busy server.
"""

from __future__ import annotations

from typing import Any, Final

import pandas as pd
import streamlit as st

from geo.analyse.ledger import ledger_unit_level
from geo.read.reference import unit_level
from layers.formatting import format_number
from layers.overlays import gap_values, layer_text
from layers.palette import GAP_COLOURS
from layers.tables import coverage_table, header, ledger_table
from layers.words import with_units
from ui import common, state
from ui.i18n import text
from ui.maps import show_store_map
from ui.store_cache import StoreData, store_coverage, store_ledger

#: Units the chart shows at most (the largest gaps): 514 bars would fill several screens.
CHART_MAX_UNITS = 30
#: The page's map (:func:`ui.maps.show_store_map`): the store's projects over the gap
#: choropleth. The warm start builds it (:mod:`ui.serve`).
MAP_OPTIONS: Final[dict[str, object]] = {"gaps": True}


def show() -> None:
    """The Kesenjangan page."""
    lang = common.language()
    common.page_header("page_kesenjangan", lang)
    data = common.load_store_or_stop(lang)
    level = unit_level(data.units)
    st.caption(with_units(text("gaps_intro", lang), level, lang))
    coverage = store_coverage(data)
    if coverage is None or data.units is None:
        st.info(text("no_units", lang))
        show_ledger(data, lang)
        return
    table = coverage_table(coverage, lang=lang, level=level)
    unit = header("unit", lang, level=level)
    common.show_table(table)
    values, key = gap_values(coverage)
    st.markdown(f"**{layer_text(key, lang)}**")
    value_label = layer_text(key, lang) + (" (%)" if key == "uncovered_share" else "")
    chart = pd.DataFrame(
        {
            unit: table[unit],
            value_label: (values * 100).round(1) if key == "uncovered_share" else values,
        }
    ).dropna()
    # Largest gap first: most network uncovered, or fewest projects per km2.
    largest_first = key == "uncovered_share"
    chart = chart.sort_values(value_label, ascending=not largest_first)
    if len(chart) > CHART_MAX_UNITS:
        st.caption(
            with_units(text("gaps_chart_top", lang), level, lang).format(
                shown=CHART_MAX_UNITS, total=format_number(len(chart), lang=lang)
            )
        )
        chart = chart.head(CHART_MAX_UNITS)
    shown, spec = gap_chart(chart, unit, value_label, lang, largest_first=largest_first)
    st.vega_lite_chart(shown, spec, width="stretch")
    show_store_map(data, lang, key=state.GAP_MAP, **MAP_OPTIONS)
    show_ledger(data, lang)


def show_ledger(data: StoreData, lang: str) -> None:
    """The budget at stake of overlaps and repeat funding, totalled per unit, province, pair
    of levels, year and kind (:func:`geo.analyse.ledger.budget_ledger`)."""
    level = ledger_unit_level(data.units)
    st.subheader(text("ledger_title", lang))
    st.caption(with_units(text("ledger_intro", lang), level, lang))
    common.show_table(ledger_table(store_ledger(data), lang=lang, level=level))


#: Vega expression writing an axis number the Indonesian way: ``1,234.5`` -> ``1.234,5``.
_INDONESIAN_NUMBER = (
    "replace(replace(replace(format(datum.value, ',.{digits}f'), regexp(',', 'g'), '_'), "
    "regexp('\\\\.', 'g'), ','), regexp('_', 'g'), '.')"
)


def gap_chart(
    chart: pd.DataFrame, unit: str, value: str, lang: str, *, largest_first: bool
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """Horizontal bars of the gap per unit, numbers written for ``lang`` on the axis and in
    the tooltip (Vega's own formatting follows the browser, not the app's language): the
    chart's data and its Vega-Lite spec, for ``st.vega_lite_chart``."""
    digits = 0 if largest_first else 2
    shown = chart.assign(
        _text=chart[value].map(
            lambda v: (
                format_number(v, 1 if largest_first else 3, lang) + (" %" if largest_first else "")
            )
        )
    )
    axis = (
        {"labelExpr": _INDONESIAN_NUMBER.format(digits=digits)}
        if lang == "id"
        else {"format": f",.{digits}f"}
    )
    spec = {
        "mark": {"type": "bar", "color": GAP_COLOURS[3]},  # the choropleth's colour for a large gap
        "encoding": {
            "x": {"field": value, "type": "quantitative", "title": value, "axis": axis},
            "y": {
                "field": unit,
                "type": "nominal",
                "title": unit,
                "sort": {"field": value, "order": "descending" if largest_first else "ascending"},
            },
            "tooltip": [
                {"field": unit, "type": "nominal", "title": unit},
                {"field": "_text", "type": "nominal", "title": value},
            ],
        },
    }
    return shown, spec
