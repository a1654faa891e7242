"""The reference layers the web map orients by (layers/orientation.py): names, roads, D.I."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
from shapely.geometry import LineString, box

from layers.orientation import (
    deciding_references,
    irrigation_area_layer,
    label_min_zoom,
    legend_entries,
    road_network_layer,
    unit_label_layer,
    unit_labels,
)
from layers.palette import ROAD_STATUS_COLOURS
from layers.project_map import project_map
from layers.viewport import MapView, roads_in_view

HOSTILE = "<img src=x onerror=alert(1)></script>"


def _roads() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {
            "road_id": ["N-1", "P-1", "K-1"],
            "name": [HOSTILE, "Jalan Provinsi", "Jalan Kabupaten"],
            "status": ["nasional", "provinsi", "kabupaten"],
            "decree": ["SK 248/KPTS/M/2015", None, None],
        },
        geometry=[
            LineString([(103.0, -1.0), (103.2, -1.1)]),
            LineString([(103.1, -1.2), (103.3, -1.2)]),
            LineString([(103.2, -1.3), (103.25, -1.35)]),
        ],
        crs=4326,
    )


def _areas() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"di_id": ["DI-1"], "name": ["D.I. Air Betung"], "area_ha": [5505.87]},
        geometry=[box(103.0, -1.5, 103.1, -1.4)],
        crs=4326,
    )


def _units() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"unit_id": ["99.01", "99.01.01"], "unit_name": ["Kab. Sungai Contoh", HOSTILE]},
        geometry=[box(102.5, -2.0, 103.5, -1.0), box(103.0, -1.2, 103.05, -1.15)],
        crs=4326,
    )


def _html(layer) -> str:
    import folium

    folium_map = folium.Map(tiles=None)
    layer.add_to(folium_map)
    return folium_map.get_root().render()


def test_roads_are_drawn_by_status_with_escaped_tooltips():
    html = _html(road_network_layer(_roads(), lang="id"))
    for colour in (ROAD_STATUS_COLOURS[s] for s in ("nasional", "provinsi", "kabupaten")):
        assert colour in html
    assert "Jalan nasional" in html and "SK 248/KPTS/M/2015" in html
    assert "<img src=x" not in html and "&lt;img src=x" in html
    assert "</script><" not in html.replace("</script>\n<", "")  # no script closed early


def test_roads_without_a_status_are_drawn_and_named_as_such():
    roads = _roads().assign(status=["nasional", None, None])
    html = _html(road_network_layer(roads, lang="id"))
    assert ROAD_STATUS_COLOURS["unknown"] in html
    assert ROAD_STATUS_COLOURS["provinsi"] not in html
    for lang, label in (("id", "Jalan tanpa status"), ("en", "Road without status")):
        rows = legend_entries(lang=lang, roads=roads)
        assert [(r[1], r[2]) for r in rows] == [
            ("Jalan nasional" if lang == "id" else "National road", {"road_status": "nasional"}),
            (label, {"road_status": "unknown"}),
        ]


def test_irrigation_areas_show_their_area_in_the_language():
    assert "5.505,9 ha" in _html(irrigation_area_layer(_areas(), lang="id"))
    assert "5,505.9 ha" in _html(irrigation_area_layer(_areas(), lang="en"))


def test_unit_names_show_from_the_zoom_their_unit_holds_them():
    labels = unit_labels(_units())
    by_name = {row[2]: row[3] for row in labels}
    assert (
        by_name["Kab. Sungai Contoh"] < by_name["&lt;img src=x onerror=alert(1)&gt;&lt;/script&gt;"]
    )
    html = _html(unit_label_layer(_units()))
    assert "<img src=x" not in html and "<\\/script" not in html.split("UnitLabels")[0]
    assert label_min_zoom(10.0, 10) == 6.0  # never a carpet of names at national zoom


def test_a_crowded_view_keeps_the_highest_statuses():
    roads = pd.concat([_roads()] * 3, ignore_index=True)
    view = MapView(102.0, -2.0, 104.0, 0.0, 8.0)
    assert len(roads_in_view(roads, view, max_roads=9)) == 9
    assert set(roads_in_view(roads, view, max_roads=6)["status"]) == {"nasional", "provinsi"}
    assert set(roads_in_view(roads, view, max_roads=1)["status"]) == {"nasional"}
    assert roads_in_view(roads, MapView(110.0, 5.0, 111.0, 6.0, 8.0)).empty


def test_the_reference_deciding_a_finding_is_picked_with_its_authority():
    mismatches = pd.DataFrame(
        {
            "reference_kind": ["road", "irrigation_area", "road"],
            "reference_id": ["N-1", "DI-1", "X-9"],
            "expected_level": ["pusat", "pusat", "kabupaten"],
        }
    )
    roads, areas = deciding_references(mismatches, _roads(), _areas())
    assert roads["road_id"].tolist() == ["N-1"]
    assert areas["di_id"].tolist() == ["DI-1"] and areas["authority"].tolist() == ["pusat"]
    assert deciding_references(mismatches.iloc[0:0], _roads(), _areas()) == (None, None)


def test_the_project_map_lists_each_reference_layer_in_control_and_legend():
    projects = gpd.GeoDataFrame(
        {
            "project_id": ["A"],
            "name": ["Jalan"],
            "level": ["pusat"],
            "agency": ["BPJN"],
            "asset_type": ["road"],
            "work_type": [None],
            "year_start": [2025],
            "year_end": [2025],
            "budget_idr": [1e9],
            "funding_source": ["APBN"],
            "status": [None],
        },
        geometry=[LineString([(103.0, -1.0), (103.1, -1.0)])],
        crs=4326,
    )
    html = (
        project_map(
            projects, boundaries=_units(), roads=_roads(), irrigation_areas=_areas(), lang="en"
        )
        .get_root()
        .render()
    )
    for name in ("Road network", "Irrigation areas (D.I.)", "District/city names"):
        assert f'"{name}"' in html  # a layer of its own in the layer control
    assert 'data-road_status="nasional"' in html and "Base map" in html
    rows = legend_entries(lang="id", roads=_roads(), irrigation_areas=_areas(), unit_names=True)
    assert [label for _, label, _ in rows] == [
        "Jalan nasional",
        "Jalan provinsi",
        "Jalan kabupaten/kota",
        "Daerah Irigasi",
        "Nama wilayah",
    ]
