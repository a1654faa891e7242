"""Pieces every page shares: the language, the page header, the store guard, the map frame."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Final

import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit import config as st_config

from geo.errors import GeoInputError, StoreUnavailable
from geo.export.report import write_csv
from layers.formatting import MISSING, format_number, format_time, is_missing, wrapped_lines
from layers.words import column_label, setting_label, translate_messages
from ui import app_settings, state
from ui.i18n import DEFAULT_LANG, LANGUAGE_NAMES, LANGUAGE_SWITCH_LABEL, text
from ui.store_cache import StoreData, current_store

if TYPE_CHECKING:
    import folium

#: The ASCII punctuation that can start Markdown — links and images, emphasis, code, HTML and
#: entities, headings, lists, tables, strikethrough, autolinks (``www.``, ``http:``, ``a@b``)
#: — or one of Streamlit's directives (``:material/x:``, ``:red[...]``, ``$...$`` maths).
#: CommonMark lets a backslash make any of them literal; ``, ; ' " ? % /`` need none.
_MARKDOWN_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$&=@^])")
#: Where Streamlit still finds links and icons in text a backslash made literal: it turns
#: ``http://``, ``www.`` and ``a@b.c`` into links and ``:material/x:`` / ``:smile:`` into icons
#: after Markdown is parsed. An invisible word joiner after such a ``:`` and after ``@``, and
#: between ``www`` and its dot, breaks those patterns and leaves the text as it reads; other
#: colons (``EPSG:32748``, ``STA 5+000: ...``) are left alone, so they copy as they read.
_LINK_OR_ICON_TRIGGER = re.compile(r"(?<=:)(?=//|[\w+\-/]+:)|(?<=@)|(?i:(?<=www)(?=\.))")
_WORD_JOINER = "\u2060"

#: Height of the map frame, in CSS pixels: fills a laptop screen below the header.
MAP_HEIGHT_PX: Final[int] = 620
#: What a map reports back: only a clicked feature, so panning and zooming never rerun.
MAP_RETURNS: Final[list[str]] = ["last_active_drawing"]
#: What a map of a large layer reports back as well: its view, drawn anew on each pan or zoom.
VIEW_RETURNS: Final[list[str]] = ["bounds", "zoom"]


def plain(value: object) -> str:
    r"""``value`` as literal text inside Streamlit Markdown (headers, captions, messages,
    expander labels): what an upload or a user wrote is shown as written, never rendered.

    A project named ``![b](http://198.51.100.7/beacon.png)`` shows those characters rather
    than making every browser fetch the address, and a review note's ``[here](http://x)`` is
    not a live link. ``None`` becomes the empty string.

    Examples
    --------
    >>> print(plain("![b](x.png) *a*"))
    \!\[b\]\(x\.png\) \*a\*
    >>> plain("http://x") == "http\\:\u2060//x"
    True
    >>> print(plain("Jalan Lintas Timur"))
    Jalan Lintas Timur
    """
    if value is None:
        return ""
    joined = _LINK_OR_ICON_TRIGGER.sub(_WORD_JOINER, str(value))
    return _MARKDOWN_PUNCTUATION.sub(r"\\\1", joined)


def language() -> str:
    """The interface language chosen in the sidebar (``"id"`` until switched)."""
    return st.session_state.get(state.LANG, DEFAULT_LANG)


#: The query parameter holding a language other than the default (``?lang=en``).
LANGUAGE_PARAM: Final[str] = "lang"


def language_switch() -> str:
    """The language selector in the sidebar, on every page; returns the language.

    A language other than Bahasa Indonesia is kept in the address (``?lang=en``): a reload, a
    bookmark or a page's address opened anew stays in the language chosen (a new browser
    session would otherwise start in Indonesian again). Within a session the language last
    shown is kept too (:data:`ui.state.LANG_SHOWN`), so a page opened from the sidebar while
    the first run is still going (Streamlit then forgets the selector) keeps the language.
    """
    options = tuple(LANGUAGE_NAMES)
    asked = st.query_params.get(LANGUAGE_PARAM)
    shown = st.session_state.get(state.LANG_SHOWN)
    start = asked if asked in options else shown if shown in options else DEFAULT_LANG
    with st.sidebar:
        lang = st.selectbox(
            LANGUAGE_SWITCH_LABEL,
            options=options,
            index=options.index(start),
            format_func=LANGUAGE_NAMES.__getitem__,
            key=state.LANG,
        )
    st.session_state[state.LANG_SHOWN] = lang
    if lang == DEFAULT_LANG:
        if LANGUAGE_PARAM in st.query_params:
            del st.query_params[LANGUAGE_PARAM]
    elif asked != lang:
        st.query_params[LANGUAGE_PARAM] = lang
    return lang


def upload_limit_mib() -> int:
    """The largest upload, in Streamlit's unit (MiB, 2**20 bytes): ``$PETA_MAX_UPLOAD_MB``
    (:attr:`geo.settings.Settings.max_upload_mb`, MB of 10**6 bytes) rounded up, so a file the
    reader accepts is never refused by the browser or the server first."""
    return max(1, math.ceil(app_settings.current().max_upload_mb * 10**6 / 2**20))


def follow_upload_limit() -> None:
    """Set Streamlit's ``server.maxUploadSize`` to :func:`upload_limit_mib`.

    The settings are the one place limits come from, however the app was started
    (``scripts/start.sh``, ``streamlit run`` from any folder, a service): the server reads
    this option on every upload request, so setting it when the app script runs is enough,
    and a config file or flag cannot let it drift from ``$PETA_MAX_UPLOAD_MB``.
    """
    limit = upload_limit_mib()
    if st_config.get_option("server.maxUploadSize") != limit:
        st_config.set_option("server.maxUploadSize", limit)


def page_header(title_key: str, lang: str, *, caption_key: str | None = None) -> None:
    """The page title and an optional caption."""
    st.title(text(title_key, lang))
    if caption_key:
        st.caption(text(caption_key, lang))


def load_store_or_stop(lang: str) -> StoreData:
    """The store (demo data on first start of a GeoPackage); on an unreadable store or an
    unreachable database an error, then stop.

    Shows the demo notice when the store holds the illustrative data.
    """
    try:
        data = current_store()
    except StoreUnavailable as error:
        show_problems(text("store_unavailable", lang), error)
        st.stop()
    except GeoInputError as error:
        show_problems(text("store_error", lang), error)
        st.stop()
    if data.is_demo:
        st.info(text("demo_notice", lang), icon=":material/info:")
    return data


def language_key(key: str, lang: str) -> str:
    """The widget key of ``key`` in ``lang``, carrying the choice made in the other language
    over. A choice widget whose options are words (levels, asset types, "from the file") keeps
    showing the option in the language it was chosen in after a switch, so each language has
    its own widget; read its value from the widget, not from ``st.session_state[key]``."""
    keyed = f"{key}_{lang}"
    if keyed not in st.session_state:
        for other in LANGUAGE_NAMES:
            if other != lang and f"{key}_{other}" in st.session_state:
                st.session_state[keyed] = st.session_state[f"{key}_{other}"]
                break
    return keyed


def show_problems(title: str, error: GeoInputError) -> None:
    """An error box and the reader's problem lines, in the app's words, as plain text (they
    quote upload names)."""
    st.error(title, icon=":material/error:")
    show_messages(error.problems, language())


def show_map(
    folium_map: folium.Map,
    *,
    key: str,
    view_layers: list[folium.FeatureGroup] | None = None,
) -> dict | None:
    """Draw ``folium_map``; return the properties of the feature last clicked, if any.

    ``view_layers`` are the layers of the current view of a large layer: they are swapped in
    the browser without redrawing the map, and the map then reports its view on each pan or
    zoom (in ``st.session_state[key]``); the layer control then lists them with the map's own.
    """
    # Imported here: pages without a map (Data, Ekspor) do not load folium on their first run.
    import folium
    from streamlit_folium import st_folium

    returned = st_folium(
        folium_map,
        key=key,
        height=MAP_HEIGHT_PX,
        use_container_width=True,
        returned_objects=MAP_RETURNS + VIEW_RETURNS if view_layers is not None else MAP_RETURNS,
        feature_group_to_add=view_layers,
        layer_control=folium.LayerControl(collapsed=False) if view_layers is not None else None,
    )
    clicked = (returned or {}).get("last_active_drawing") or {}
    return clicked.get("properties") or None


#: Width of a column of long names, in CSS pixels, and from how many characters a name is long.
WRAPPED_COLUMN_PX: Final[int] = 230
WRAPPED_MIN_CHARS: Final[int] = 40
#: Characters a wrapped line of such a column holds at the least (Streamlit's 14 px font).
WRAPPED_LINE_CHARS: Final[int] = 28
#: A wrapped row's height in CSS pixels is ``WRAPPED_LINE_PX`` a line plus ``WRAPPED_PAD_PX``
#: (3 lines in 66 px, 4 in 86): at least 3 lines (above 64 px, 4rem, the table wraps text at
#: all), at most ``WRAPPED_MAX_LINES``.
WRAPPED_LINE_PX: Final[int] = 20
WRAPPED_PAD_PX: Final[int] = 6
WRAPPED_MIN_LINES: Final[int] = 3
WRAPPED_MAX_LINES: Final[int] = 5


def wrapped_row_px(table: pd.DataFrame, columns: list[str]) -> int:
    """The row height, in CSS pixels, at which the longest cell of ``columns`` is read whole
    (name, level and agency of a pair), within 3 and ``WRAPPED_MAX_LINES`` lines."""
    lines = max((wrapped_lines(table[column], WRAPPED_LINE_CHARS) for column in columns), default=1)
    lines = min(max(lines, WRAPPED_MIN_LINES), WRAPPED_MAX_LINES)
    return WRAPPED_LINE_PX * lines + WRAPPED_PAD_PX


def text_columns(table: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``table`` with every decimal number written for ``lang`` (``1.234,50`` / ``1,234.50``)
    and missing values as a dash: the browser's locale never decides how a number reads."""
    shown = table.copy()
    for column in shown.columns:
        values = shown[column]
        if pd.api.types.is_float_dtype(values):
            shown[column] = values.map(lambda v: format_number(v, 2, lang))
        elif not pd.api.types.is_numeric_dtype(values):
            shown[column] = values.map(lambda v: MISSING if is_missing(v) else v)
    return shown


def show_table(
    table: pd.DataFrame, *, wrap: bool = False, formatted: bool = False, **kwargs: object
) -> object:
    """``st.dataframe`` of a display table: full width, no index, numbers written for the
    app's language; ``wrap`` makes rows tall enough for long names to wrap; ``formatted``
    when ``table`` is already :func:`text_columns` of a table (cached by the page)."""
    shown = table if formatted else text_columns(table, language())
    if wrap:
        # Long names wrap in a column of fixed width, so that the evidence beside them (shared
        # part, shares, budget at stake) is on screen without scrolling on a laptop; the rows
        # are as tall as the longest name needs.
        long = [
            column
            for column in shown.columns
            if not pd.api.types.is_numeric_dtype(shown[column])
            and shown[column].astype(str).str.len().max() > WRAPPED_MIN_CHARS
        ]
        kwargs.setdefault("row_height", wrapped_row_px(shown, long))
        kwargs.setdefault(
            "column_config",
            {column: st.column_config.TextColumn(width=WRAPPED_COLUMN_PX) for column in long},
        )
    return st.dataframe(shown, hide_index=True, width="stretch", **kwargs)


def pick_row(table: pd.DataFrame, *, key: str, formatted: bool = False) -> int | None:
    """:func:`show_table` of ``table`` (rows wrapped) with one row selectable; the position of
    the row selected, or None (also when the table has since lost that row)."""
    event = show_table(
        table,
        wrap=True,
        formatted=formatted,
        on_select="rerun",
        selection_mode="single-row",
        key=key,
    )
    row = selected_row(event)
    return row if row is not None and row < len(table) else None


def show_messages(messages: list[str] | tuple[str, ...], lang: str) -> None:
    """The reader's report lines or errors, in the app's words, as plain text."""
    st.code("\n".join(translate_messages(list(messages), lang)), language=None)


def time_zone() -> str:
    """The zone times are shown in: the setting (WIB, Asia/Jakarta, by default)."""
    return app_settings.current().time_zone


def time_text(stamp: object, lang: str) -> str:
    """A stored time (UTC) in the time zone of the settings (WIB by default)."""
    return format_time(stamp, lang, zone=time_zone())


def selected_row(event: object) -> int | None:
    """Position of the row selected in an ``st.dataframe(on_select="rerun")``, or None."""
    try:
        rows = event.selection.rows  # type: ignore[attr-defined]
    except AttributeError:
        return None
    return int(rows[0]) if rows else None


def bounds_of(layer: gpd.GeoDataFrame | gpd.GeoSeries) -> tuple[float, float, float, float] | None:
    """``(west, south, east, north)`` of a non-empty layer, else None."""
    if len(layer) == 0:
        return None
    west, south, east, north = layer.total_bounds
    if pd.isna(west):
        return None
    return float(west), float(south), float(east), float(north)


def show_settings(lang: str, *, title_key: str = "settings") -> None:
    """An expander listing every setting in force (:func:`ui.app_settings.current`) with its
    value; each label names its unit (DESIGN section 5: the UI shows the settings)."""
    settings = app_settings.current()
    with st.expander(text(title_key, lang), icon=":material/tune:"):
        rows = [
            (setting_label(f.name, lang), _setting_value(getattr(settings, f.name), lang))
            for f in dataclasses.fields(settings)
        ]
        show_table(
            pd.DataFrame(rows, columns=[column_label("setting", lang), column_label("value", lang)])
        )
        st.caption(text("settings_hint", lang))


def _setting_value(value: object, lang: str) -> str:
    if isinstance(value, float):
        return format_number(value, 0 if value.is_integer() else 2, lang)
    if isinstance(value, int):
        return format_number(value, 0, lang)
    return str(value)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """``table`` as UTF-8 CSV (with BOM, so Excel reads the accents), formulas neutralised
    (:func:`geo.export.report.write_csv`)."""
    frame = pd.DataFrame(table.drop(columns="geometry", errors="ignore"))
    return write_csv(frame).encode("utf-8-sig")


def deferred_csv(table: pd.DataFrame) -> Callable[[], bytes]:
    """:func:`csv_bytes` of ``table`` as a callable for ``st.download_button``: the file is
    written when its button is clicked, not on every run of the page (a national table takes
    seconds)."""
    return lambda: csv_bytes(table)


def noting_failure(
    make: Callable[[], bytes], kind: str, failures: dict[str, str]
) -> Callable[[], bytes]:
    """``make`` (a download's data, made when its button is clicked, outside the script run
    where nothing can be drawn) noting in ``failures[kind]`` why the file could not be made,
    for the page to say on its next run: an input problem by its message, anything else by
    its kind only. The error still propagates (Streamlit logs it and tells the browser the
    download failed)."""

    def made() -> bytes:
        try:
            return make()
        except Exception as error:
            failures[kind] = (
                "; ".join(error.problems)
                if isinstance(error, GeoInputError)
                else type(error).__name__
            )
            raise

    return made
