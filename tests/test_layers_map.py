"""The project map rendered to a string: colours, legend, escaping, offline assets."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiLineString, Point, Polygon

from geo.schema import ASSET_TYPES, LEVELS
from layers.formatting import format_rupiah, format_years
from layers.html import escape_html
from layers.palette import (
    ASSET_LABELS,
    BOUNDARY_COLOUR,
    LEVEL_COLOURS,
    LEVEL_LABELS,
    level_label,
)
from layers.project_map import TOOLTIP_PROPERTY, legend_html, level_counts, project_map

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Untrusted upload values that must reach the browser as text (DESIGN section 10).
HOSTILE = (
    "<img src=x onerror=alert(1)>",
    "${alert(2)}",
    "`${alert(3)}`",
    "</script><script>alert(4)</script>",
)
HOSTILE_FIELD = "<img src=x onerror=alert(5)>`${alert(6)}`</script>"


def _record(project_id, level, asset_type, geometry, **overrides):
    record = {
        "project_id": project_id,
        "name": f"Paket {project_id}",
        "level": level,
        "agency": "Dinas PUPR Kab. Muaro Jambi",
        "asset_type": asset_type,
        "work_type": "rehabilitasi",
        "year_start": 2024,
        "year_end": 2025,
        "budget_idr": 18_750_000_000.0,
        "funding_source": "APBN",
        "status": "kontrak",
        "upload_id": "u1",
        "source_file": "paket.gpkg",
        "source_layer": "paket",
        "source_row": 1,
        "geometry": geometry,
    }
    return record | overrides


@pytest.fixture
def projects() -> gpd.GeoDataFrame:
    """A road, a bridge and an irrigation area for each level, near Jambi."""
    records = []
    for offset, level in enumerate(LEVELS):
        x = 103.5 + offset * 0.1
        records += [
            _record(f"{level}-R", level, "road", LineString([(x, -1.6), (x + 0.05, -1.65)])),
            _record(f"{level}-B", level, "bridge", Point(x + 0.02, -1.62)),
            _record(
                f"{level}-I",
                level,
                "irrigation",
                Polygon([(x, -1.7), (x + 0.04, -1.7), (x + 0.04, -1.74), (x, -1.74)]),
            ),
        ]
    return gpd.GeoDataFrame(records, crs="EPSG:4326")


@pytest.fixture
def hostile_projects(projects) -> gpd.GeoDataFrame:
    """The same projects with hostile names, agencies, an extra field name and its values."""
    hostile = projects.copy()
    for position, payload in enumerate(HOSTILE):
        hostile.loc[hostile.index[position], "name"] = payload
        hostile.loc[hostile.index[-1 - position], "agency"] = payload
    hostile[HOSTILE_FIELD] = " ".join(HOSTILE)
    return hostile


def _render(folium_map) -> str:
    return folium_map.get_root().render()


def _tooltips(html: str) -> list[str]:
    """The tooltip HTML of every feature, as the browser decodes it from the embedded GeoJSON."""
    collections = [json.loads(data) for data in re.findall(r"_add\((\{.*\})\);", html)]
    tooltips = [
        feature["properties"][TOOLTIP_PROPERTY]
        for collection in collections
        for feature in collection["features"]
    ]
    # Large layers (layers.fast_geojson): ``})(DATA, NAMES, STYLE, NAME);``, properties by column.
    decoder = json.JSONDecoder()
    for match in re.finditer(r"^\}\)\(", html, flags=re.MULTILINE):
        data, end = decoder.raw_decode(html, match.end())
        names, _ = decoder.raw_decode(html, end + 2)
        tooltips += data["p"][names.index(TOOLTIP_PROPERTY)]
    return tooltips


def _legend(html: str) -> str:
    match = re.search(r'<div class="peta-legend".*?\n</div>', html, flags=re.DOTALL)
    assert match, "legend missing from the map HTML"
    return match.group(0)


def test_each_level_is_drawn_in_its_fixed_colour(projects):
    html = _render(project_map(projects))

    for level in LEVELS:
        assert f'"color": "{LEVEL_COLOURS[level]}"' in html or (
            f'"fillColor": "{LEVEL_COLOURS[level]}"' in html
        ), level
        assert f"{level_label(level)} (3)" in html, "layer control names the level and its count"
    assert len(_tooltips(html)) == len(projects)


def test_geometry_kinds_are_lines_circle_markers_and_translucent_polygons(projects):
    html = _render(project_map(projects))

    assert "new L.CircleMarker(latlng, opts)" in html
    assert '"fill": true, "fillColor": "#0072B2", "fillOpacity": 0.85' in html, "bridges filled"
    assert '"fillOpacity": 0.3' in html
    assert '"weight": 4' in html


def test_legend_lists_every_level_and_asset_in_indonesian(projects):
    legend = _legend(_render(project_map(projects)))

    assert "position: fixed" in _render(project_map(projects)), "legend stays visible"
    assert "Legenda" in legend
    for level in LEVELS:
        assert f'data-level="{level}"' in legend
        assert f"<span>{escape_html(LEVEL_LABELS['id'][level])}</span>" in legend
        assert LEVEL_COLOURS[level] in legend
    for asset_type in ASSET_TYPES:
        assert f"<span>{ASSET_LABELS['id'][asset_type]}</span>" in legend


def test_legend_always_lists_core_levels_and_desa_only_when_present(projects):
    legend = legend_html(projects[projects["level"] == "pusat"])

    assert [re.findall(r'data-level="(\w+)"', legend)] == [["pusat", "provinsi", "kabupaten"]]


def test_english_labels(projects):
    html = _render(project_map(projects, lang="en"))

    assert "Legend" in _legend(html)
    assert "District/City (3)" in html
    assert "<th>Funding source</th>" in _tooltips(html)[0]
    assert "Rp 18,750,000,000" in _tooltips(html)[0]


def test_tooltip_shows_the_record_with_indonesian_money(projects):
    tooltips = _tooltips(_render(project_map(projects)))
    [tooltip] = [tooltip for tooltip in tooltips if "<td>Paket pusat-R</td>" in tooltip]

    assert tooltip.startswith('<table class="peta-tooltip"><tr><th>Nama paket</th>')
    assert "<th>Pagu</th><td>Rp 18.750.000.000</td>" in tooltip
    assert "<th>Tahun anggaran</th><td>2024–2025</td>" in tooltip
    assert "<th>Tingkat</th><td>Pusat</td>" in tooltip
    assert "<th>Jenis aset</th><td>Jalan</td>" in tooltip
    assert "paket.gpkg" not in tooltip, "provenance stays out of the tooltip"


def test_hostile_values_and_field_names_never_reach_html_unescaped(hostile_projects):
    html = _render(project_map(hostile_projects))
    tooltips = _tooltips(html)
    benign_html = _render(project_map(hostile_projects.drop(columns=[HOSTILE_FIELD])))

    for payload in (*HOSTILE, HOSTILE_FIELD):
        assert payload not in html
        assert all(payload not in tooltip for tooltip in tooltips)
    assert "`" not in html and "$" not in html
    assert all("`" not in tooltip and "$" not in tooltip for tooltip in tooltips)
    assert html.count("</script>") == benign_html.count("</script>")
    assert html.count("<img") == 0
    joined = "".join(tooltips)
    assert escape_html(HOSTILE[0]) in joined
    assert escape_html(HOSTILE[3]) in joined
    assert f"<th>{escape_html(HOSTILE_FIELD)}</th>" in joined


@pytest.mark.parametrize("large", [False, True])
def test_jinja_in_upload_text_is_never_run_on_the_server(projects, large, monkeypatch):
    # folium compiles each layer's script as a Jinja template: upload text with {{ }} or
    # {% %} would run on the server unless its braces are escaped.
    if large:
        monkeypatch.setattr("layers.project_map.LARGE_LAYER_FEATURES", 1)
    hostile = projects.copy()
    hostile["name"] = '{{ "JIN" ~ "JA" }}'
    hostile["agency"] = hostile["project_id"] = "{% if true %}TEMPLATE{% endif %}{# x #}"
    html = _render(project_map(hostile))
    assert "JINJA" not in html
    joined = "".join(_tooltips(html))
    assert "&#123;&#123; &quot;JIN&quot; ~ &quot;JA&quot; &#125;&#125;" in joined
    assert "&#123;% if true %&#125;TEMPLATE&#123;% endif %&#125;&#123;# x #&#125;" in joined


def test_large_layers_draw_on_a_canvas_with_short_tooltips(projects, monkeypatch):
    monkeypatch.setattr("layers.project_map.LARGE_LAYER_FEATURES", 1)
    html = _render(project_map(projects))
    assert 'preferCanvas": true' in html or '"preferCanvas": true' in html
    tooltips = _tooltips(html)
    assert len(tooltips) == len(projects)
    assert all(tooltip.startswith("<b>Paket ") for tooltip in tooltips)
    assert all("<table" not in tooltip for tooltip in tooltips)
    assert html.count("L.featureGroup().addTo(") >= len(LEVELS) * 3


def test_boundaries_are_grey_and_carry_no_attributes(projects):
    boundaries = gpd.GeoDataFrame(
        {"name": [HOSTILE[0]]},
        geometry=[Polygon([(103.3, -1.9), (104.0, -1.9), (104.0, -1.4), (103.3, -1.4)])],
        crs="EPSG:4326",
    )
    html = _render(project_map(projects, boundaries=boundaries))

    assert f'"color": "{BOUNDARY_COLOUR}"' in html
    assert "Batas wilayah" in _legend(html)
    assert HOSTILE[0] not in html and escape_html(HOSTILE[0]) not in html


def _asset_links(html: str) -> list[str]:
    scripts = re.findall(r"<script[^>]*\bsrc=[\"']([^\"']*)", html, flags=re.IGNORECASE)
    styles = re.findall(r"<link[^>]*\bhref=[\"']([^\"']*)", html, flags=re.IGNORECASE)
    return scripts + styles


@pytest.mark.parametrize(
    ("asset_base_url", "expected"),
    [
        (None, "/app/static/leaflet"),
        ("/peta/app/static/leaflet/", "/peta/app/static/leaflet"),
    ],
)
def test_only_the_apps_own_leaflet_is_referenced(projects, asset_base_url, expected):
    options = {} if asset_base_url is None else {"asset_base_url": asset_base_url}
    folium_map = project_map(projects, **options)
    html = _render(folium_map)

    assert sorted(_asset_links(html)) == [f"{expected}/leaflet.css", f"{expected}/leaflet.js"]
    assert "cdn" not in html.lower()
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html, flags=re.IGNORECASE)
    # streamlit-folium loads the default_js/default_css of every element into its frame.
    component_links = [
        url
        for element in _walk(folium_map)
        for _, url in [*getattr(element, "default_js", []), *getattr(element, "default_css", [])]
    ]
    assert sorted(component_links) == [f"{expected}/leaflet.css", f"{expected}/leaflet.js"]


def test_local_assets_do_not_leak_into_other_maps(projects):
    import folium

    project_map(projects)

    assert folium.Map().default_js[0][1].startswith("https://"), "class-wide list untouched"


def _walk(element):
    yield element
    for child in element._children.values():
        yield from _walk(child)


def test_openstreetmap_tiles_only_on_request(projects):
    assert "tile.openstreetmap.org" not in _render(project_map(projects))
    assert "tile.openstreetmap.org" in _render(project_map(projects, osm_tiles=True))


def test_map_fits_the_data(projects):
    html = _render(project_map(projects))

    west, south, east, north = projects.total_bounds
    assert f"[[{south}, {west}], [{north}, {east}]]" in html


def test_empty_projects_show_indonesia(projects):
    html = _render(project_map(projects.iloc[0:0]))

    assert "[[-11.5, 94.0], [6.5, 142.0]]" in html
    assert _tooltips(html) == []
    assert "Legenda" in _legend(html)


def test_records_without_geometry_are_skipped(projects):
    projects.loc[projects.index[0], "geometry"] = None
    projects.loc[projects.index[1], "geometry"] = MultiLineString()

    assert len(_tooltips(_render(project_map(projects)))) == len(projects) - 2


def test_every_problem_is_reported_at_once(projects):
    bad = projects.to_crs(32748).drop(columns=["agency"])

    with pytest.raises(ValueError, match=r"EPSG:4326.*to_crs\(4326\).*lacks column\(s\) agency"):
        project_map(bad)


def test_unknown_level_is_named(projects):
    projects.loc[projects.index[0], "level"] = "kecamatan"

    with pytest.raises(ValueError, match="unknown level.*'kecamatan'.*pusat, provinsi"):
        project_map(projects)


def test_unknown_language_is_refused(projects):
    with pytest.raises(ValueError, match="lang must be one of id, en; got 'fr'"):
        project_map(projects, lang="fr")


def test_level_counts_include_zero_levels(projects):
    counts = level_counts(projects[projects["level"] != "desa"])

    assert counts == {"pusat": 3, "provinsi": 3, "kabupaten": 3, "desa": 0}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("<img src=x onerror=alert(1)>", "&lt;img src=x onerror=alert(1)&gt;"),
        ("${alert(1)}", "&#36;&#123;alert(1)&#125;"),
        ("{{ 7*7 }}", "&#123;&#123; 7*7 &#125;&#125;"),
        ("`a`", "&#96;a&#96;"),
        ("</script>", "&lt;/script&gt;"),
        ("\"'&", "&quot;&#39;&amp;"),
        ("&lt;", "&amp;lt;"),
        (None, ""),
        (2024, "2024"),
    ],
)
def test_escape_html(value, expected):
    assert escape_html(value) == expected


@pytest.mark.parametrize(
    ("amount", "lang", "expected"),
    [
        (18_750_000_000, "id", "Rp 18.750.000.000"),
        (1_250_000.49, "id", "Rp 1.250.000"),
        (18_750_000_000, "en", "Rp 18,750,000,000"),
        (None, "id", "–"),
        (float("nan"), "id", "–"),
    ],
)
def test_format_rupiah(amount, lang, expected):
    assert format_rupiah(amount, lang) == expected


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [(2024, 2024, "2024"), (2024.0, 2026.0, "2024–2026"), (2025, None, "2025"), (None, None, "–")],
)
def test_format_years(start, end, expected):
    assert format_years(start, end) == expected


def test_palette_covers_the_schema_vocabularies():
    assert set(LEVEL_COLOURS) == set(LEVELS)
    assert len(set(LEVEL_COLOURS.values())) == len(LEVELS)
    for lang in ("id", "en"):
        assert set(LEVEL_LABELS[lang]) == set(LEVELS)
        assert set(ASSET_LABELS[lang]) == set(ASSET_TYPES)
    assert LEVEL_LABELS["id"]["kabupaten"] == "Kabupaten/Kota"


def test_layers_never_import_streamlit():
    code = "import sys, layers.project_map; assert 'streamlit' not in sys.modules"

    subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, check=True)
