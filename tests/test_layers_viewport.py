"""Views of a large layer: which projects a view draws, the grid cells, their legend, escaping."""

from __future__ import annotations

import json
import re

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geo.schema import LEVELS
from layers.overlays import gap_layer
from layers.palette import FINDING_COLOUR, GAP_COLOURS
from layers.project_map import VIEW_LEGEND_CLASS, fit_zoom, project_map
from layers.viewport import (
    CELL_COLOURS,
    LayerIndex,
    MapView,
    cell_counts,
    class_edges,
    display_at_zoom,
    legend_cells_html,
    view_content,
    view_layers,
    view_note,
)

HOSTILE = "<img src=x onerror=alert(1)>`${alert(2)}`</script>{{ 7*7 }}"


@pytest.fixture(scope="module")
def layer() -> gpd.GeoDataFrame:
    """3,000 projects: 2,000 spread over a 10 x 10 degree square, 1,000 packed near (0.5, 0.5).

    Every name and agency is hostile text (it must never reach the page unescaped).
    """
    rng = np.random.default_rng(3)
    spread = rng.uniform(0.0, 10.0, (2000, 2))
    packed = rng.uniform(0.4, 0.6, (1000, 2))
    xy = np.vstack([spread, packed])
    geoms = [
        Point(x, y) if i % 3 == 0 else LineString([(x, y), (x + 0.001, y + 0.0005)])
        for i, (x, y) in enumerate(xy)
    ]
    levels = np.array(LEVELS)[np.arange(len(xy)) % len(LEVELS)]
    return gpd.GeoDataFrame(
        {
            "project_id": [f"P-{i}" for i in range(len(xy))],
            "name": [f"{HOSTILE} {i}" for i in range(len(xy))],
            "level": levels,
            "agency": HOSTILE,
            "asset_type": ["bridge" if i % 3 == 0 else "road" for i in range(len(xy))],
            "work_type": "rehabilitasi",
            "year_start": 2025,
            "year_end": 2025,
            "budget_idr": 1e9,
            "funding_source": "APBN",
            "status": "rencana",
        },
        geometry=geoms,
        crs=4326,
    )


def _script(groups) -> str:
    """Everything the groups send to the browser, as streamlit-folium renders them."""
    from streamlit_folium import _get_feature_group_string

    folium_map = project_map(
        gpd.GeoDataFrame(
            {c: [] for c in ("project_id", "name", "level", "agency", "asset_type")},
            geometry=[],
            crs=4326,
        ).assign(
            work_type=[],
            year_start=[],
            year_end=[],
            budget_idr=[],
            funding_source=[],
            status=[],
        ),
        per_view=True,
    )
    return "".join(
        _get_feature_group_string(group, map=folium_map, idx=i) for i, group in enumerate(groups)
    )


def test_a_reported_view_is_read_and_a_broken_one_is_refused():
    returned = {
        "bounds": {
            "_southWest": {"lat": -2.5, "lng": 101.0},
            "_northEast": {"lat": -1.0, "lng": 104.0},
        },
        "zoom": 8,
    }
    assert MapView.from_returned(returned) == MapView(101.0, -2.5, 104.0, -1.0, 8.0)
    for broken in (None, {}, {"bounds": None, "zoom": 3}, {**returned, "zoom": "x"}):
        assert MapView.from_returned(broken) is None
    upside_down = {
        **returned,
        "bounds": {**returned["bounds"], "_northEast": {"lat": -3, "lng": 104}},
    }
    assert MapView.from_returned(upside_down) is None


def test_nearby_views_snap_to_one_that_holds_them():
    view = MapView(101.03, -2.71, 104.48, -0.83, 8.3)
    snapped = view.snapped()
    assert snapped == MapView(101.03 + 0.01, -2.71, 104.48, -0.83, 8.0).snapped()
    assert snapped.west <= view.west and snapped.east >= view.east
    assert snapped.south <= view.south and snapped.north >= view.north
    assert snapped.zoom == 8.0


def test_the_opening_zoom_matches_what_fitting_gives():
    # Indonesia, 46 degrees wide, in a 1000 px frame: zoom 4.5-5 (quarter steps).
    zoom = fit_zoom((95.0, -11.0, 141.0, 6.0))
    assert 4.5 <= zoom <= 5.0 and zoom * 4 == int(zoom * 4)
    assert MapView.fitting((95.0, -11.0, 141.0, 6.0)).zoom == zoom


def test_a_view_with_few_projects_draws_each_of_them(layer):
    index = LayerIndex.of(layer)
    view = MapView(5.0, 5.0, 7.0, 7.0, 9.0)
    content = view_content(index, view, detail_max=500)
    expected = np.flatnonzero(
        layer.geometry.intersects(box(5.0, 5.0, 7.0, 7.0)) | layer.geometry.within(box(5, 5, 7, 7))
    )
    assert content.detail
    assert set(content.rows) >= set(expected)
    assert len(content.rows) <= len(expected) + 5  # boxes, not shapes: a few near the edge


def test_a_crowded_view_is_counted_per_cell_and_nothing_is_lost(layer):
    index = LayerIndex.of(layer)
    view = MapView(0.0, 0.0, 10.0, 10.0, 6.0)
    content = view_content(index, view, detail_max=500)
    assert not content.detail
    cells = content.cells
    assert cells["projects"].sum() == len(layer)
    assert sum(cells[f"projects_{level}"].sum() for level in LEVELS) == len(layer)
    assert cells["budget_idr"].sum() == pytest.approx(1e9 * len(layer))
    # Cells of half a degree at zoom 6: the packed square falls in the four around (0.5, 0.5).
    assert content.view.cell_deg() == 0.5
    corner = cells[cells["col"].isin([0, 1]) & cells["row"].isin([0, 1])]
    assert corner["projects"].sum() >= 1000 and len(cells) > 100
    assert "drawn" not in view_note(content)
    assert "Perbesar peta" in view_note(content) and "500" in view_note(content)


def test_findings_are_counted_in_their_cell():
    index = LayerIndex.of(
        gpd.GeoDataFrame(
            {"level": ["pusat", "provinsi"], "budget_idr": [1.0, 2.0]},
            geometry=[Point(0.1, 0.1), Point(3.5, 3.5)],
            crs=4326,
        )
    )
    findings = np.array([[0.0, 0.0, 0.2, 0.2], [0.05, 0.05, 0.1, 0.1], [7.0, 7.0, 7.1, 7.1]])
    cells = cell_counts(index, np.arange(2), 1.0, findings).set_index(["col", "row"])
    assert cells.loc[(0, 0), "overlaps"] == 2
    assert cells.loc[(3, 3), "overlaps"] == 0
    assert len(cells) == 2  # a finding in an empty cell adds no cell


def test_class_edges_rise_in_round_steps():
    assert class_edges(np.array([1, 3, 40, 1000])) == [5, 20, 100, 500, 1000]
    assert class_edges(np.array([1])) == [1]
    edges = class_edges(np.array([2, 7, 9]))
    assert edges == sorted(set(edges)) and edges[-1] == 9


def test_cells_are_shaded_outlined_and_their_legend_fills_the_map_legend(layer):
    index = LayerIndex.of(layer)
    findings = np.array([[0.45, 0.45, 0.46, 0.46]])
    content = view_content(
        index, MapView(0.0, 0.0, 10.0, 10.0, 6.0), finding_boxes=findings, detail_max=500
    )
    script = _script(view_layers(None, content, lang="id"))
    assert CELL_COLOURS[-1] in script  # the fullest cell
    assert f'"color": "{FINDING_COLOUR}"' in script  # the cell with the finding
    fill = re.search(rf'querySelectorAll\("\.{VIEW_LEGEND_CLASS}"\)', script)
    assert fill, "the view does not fill the legend"
    legend = legend_cells_html(content.cells, lang="en")
    assert "Projects per cell" in legend and "Cells with overlaps" in legend


def test_a_detailed_view_sends_each_project_escaped(layer):
    index = LayerIndex.of(layer)
    view = MapView(0.4, 0.4, 0.6, 0.6, 12.0)
    content = view_content(index, view, detail_max=5000)
    assert content.detail and len(content.rows) >= 1000
    script = _script(view_layers(layer, content, lang="en"))
    collections = [json.loads(data) for data in re.findall(r"_add\((\{.*\})\);", script)]
    tooltips = [
        feature["properties"]["peta_tooltip"]
        for collection in collections
        for feature in collection["features"]
    ]
    assert len(tooltips) == len(content.rows)
    for raw in ("<img", "</script>", "${", "{{"):
        assert raw not in script
    assert all("&lt;img" in tip for tip in tooltips)


def test_boundaries_are_drawn_only_where_the_view_is(layer):
    units = gpd.GeoDataFrame(
        {"unit_id": ["a", "b"], "unit_name": [HOSTILE, "b"]},
        geometry=[box(0, 0, 1, 1), box(20, 20, 21, 21)],
        crs=4326,
    )
    content = view_content(LayerIndex.of(layer), MapView(0.0, 0.0, 10.0, 10.0, 6.0), detail_max=10)
    script = _script(view_layers(None, content, boundaries=units))
    assert '"interactive": false' in script
    assert "2100000" not in script and "210000" not in script  # unit b's corner is not sent
    assert "&lt;img" not in script and "<img" not in script  # names are never sent


def _empty_projects() -> gpd.GeoDataFrame:
    columns = ("project_id", "name", "level", "agency", "asset_type", "work_type", "status")
    return gpd.GeoDataFrame({c: [] for c in columns}, geometry=[], crs=4326).assign(
        year_start=[], year_end=[], budget_idr=[], funding_source=[]
    )


def _drawn_units(script: str) -> list[tuple[str, str]]:
    """(tooltip, fill colour) of every unit a view's script draws."""
    drawn = []
    for data, style in re.findall(r'\}\)\((\{"t":.*?\}), \[.*?\], (\{.*?\}), ', script):
        fill = json.loads(style).get("fillColor")
        drawn += [(tooltip, fill) for tooltip in json.loads(data)["p"][0]]
    return drawn


GAP_UNITS = gpd.GeoDataFrame(
    {"unit_id": ["a", "b", "c"]},
    geometry=[box(0, 0, 1, 1), box(1, 0, 2, 1), box(20, 20, 21, 21)],
    crs=4326,
)
GAP_COVERAGE = pd.DataFrame(
    {
        "unit_id": ["a", "b", "c"],
        "unit_name": [HOSTILE, "Kab. B", "Kab. C"],
        "covered_share": [0.95, 0.1, 0.5],
        "projects_per_km2": [1.0, 0.1, 0.5],
    }
)


def test_with_gaps_a_view_draws_its_units_once_as_the_choropleth(layer):
    content = view_content(LayerIndex.of(layer), MapView(0.0, 0.0, 10.0, 10.0, 6.0), detail_max=10)
    groups = view_layers(None, content, lang="en", boundaries=GAP_UNITS, gaps=GAP_COVERAGE)
    names = [group.layer_name for group in groups]
    assert names == ["Coverage gaps: Network not covered", "Summary per cell"]
    script = _script(groups)
    # Units a and b, in view, with the tooltip and colour the whole map's choropleth gives them.
    whole = _script([gap_layer(GAP_UNITS, GAP_COVERAGE, lang="en")])
    in_view = [unit for unit in _drawn_units(whole) if "Kab. C" not in unit[0]]
    drawn = [unit for unit in _drawn_units(script) if unit[1] in GAP_COLOURS]
    assert sorted(drawn) == sorted(in_view)
    assert {fill for _, fill in drawn} == {GAP_COLOURS[0], GAP_COLOURS[4]}
    assert "2100000" not in script and "210000" not in script  # unit c's corner is not sent
    assert "&lt;img" in script and "<img" not in script  # names escaped, as on the whole map


def test_a_map_drawn_per_view_leaves_the_choropleth_to_the_views_and_keeps_its_legend():
    html = (
        project_map(
            _empty_projects(),
            lang="en",
            boundaries=GAP_UNITS,
            gaps=(GAP_UNITS, GAP_COVERAGE),
            per_view=True,
        )
        .get_root()
        .render()
    )
    assert "Coverage gaps" not in html.split("peta-legend", 1)[0]  # no layer of it
    legend = html.split("peta-legend", 1)[1]
    assert "0.0 % – 20.0 %" in legend  # the classes of the choropleth the views draw
    assert "boundaries" not in legend  # no layer of plain boundaries under it
    whole = (
        project_map(
            _empty_projects(), lang="en", boundaries=GAP_UNITS, gaps=(GAP_UNITS, GAP_COVERAGE)
        )
        .get_root()
        .render()
    )
    assert "Coverage gaps" in whole and "Unit boundaries" in whole


def test_display_at_zoom_keeps_a_pixel_of_detail():
    wiggly = gpd.GeoDataFrame(
        geometry=[LineString([(0, 0), (0.5, 0.00001), (1, 0), (1.5, 0.3)])], crs=4326
    )
    coarse = display_at_zoom(wiggly, MapView(0, 0, 2, 2, 6.0)).geometry.iloc[0]
    fine = display_at_zoom(wiggly, MapView(0, 0, 2, 2, 18.0)).geometry.iloc[0]
    assert len(coarse.coords) == 3  # the 1 m wiggle is under a pixel at zoom 6
    assert len(fine.coords) == 4
    assert coarse.coords[-1] == (1.5, 0.3)
