"""Ruas names written in each office's habits find their ruas in the network's list.

The network names are real ruas names of provincial lists (Papua Barat, Jawa Tengah, Jambi) as
published; the queries are written the way proposal lists write them.
"""

from __future__ import annotations

import pytest

from geo.spatial.ruas_names import normalise_ruas_name, rank_ruas, ruas_ends

NETWORK = [
    "Arfai - Pami",
    "Bts Kota Manokwari  - Sibuni",
    "Sibuni - Masni",
    "Masni - SP 5",
    "SP 5 - Sibuni",
    "Prafi - Bts Kab Pegaf (Mokwam)",
    "Bts Kab Pegaf  - Menyambouw",
    "Minyambouw - Bts Kota Pegaf",
    "Bts Kota Fak fak - Sangram",
    "Bts Kota Fak Fak - Siboru",
    "Jl. Raya Salem - Bts. Kab. Cilacap",
    "Jl. Raya Bumiayu - Salem",
    "Jl. Raya Bandungsari - Salem",
    "NAGREG - BTS. KAB. BANDUNG/GARUT",
    "Batas Kota Muara Bulian - Batas. Kabupaten Muaro Jambi/Kabupaten Batanghari",
    "Jambi - Tempino",
    "Simpang Rimbo Bujang - Batas Kabupaten Tebo",
    "Tanjung Pinang - Sungai Bahar",
]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Sibuni - Bts. Kota Manokwari", "Bts Kota Manokwari  - Sibuni"),  # reversed
        ("Batas Kab. Cilacap s.d. Salem", "Jl. Raya Salem - Bts. Kab. Cilacap"),
        ("Jalan Salem – Batas Kabupaten Tjilatjap", "Jl. Raya Salem - Bts. Kab. Cilacap"),
        ("Bts. Kota Fakfak - Sangram", "Bts Kota Fak fak - Sangram"),
        ("Menyambouw - Bts. Kota Pegaf", "Minyambouw - Bts Kota Pegaf"),  # spelling variant
        (
            "Pelebaran Jalan Bts. Kota Ma. Bulian - Bts. Kab. Muaro Jambi/Kab. Batang hari",
            "Batas Kota Muara Bulian - Batas. Kabupaten Muaro Jambi/Kabupaten Batanghari",
        ),
        ("Preservasi Ruas Djambi - Tempino", "Jambi - Tempino"),
        ("Sp. Rimbo Bujang s/d Bts. Kab. Tebo", "Simpang Rimbo Bujang - Batas Kabupaten Tebo"),
        ("Tj. Pinang - Sei Bahar", "Tanjung Pinang - Sungai Bahar"),
        ("Nagreg - Batas Kabupaten Bandung/Garut", "NAGREG - BTS. KAB. BANDUNG/GARUT"),
        ("SP 5 - Masni", "Masni - SP 5"),  # SP 5 is a settlement, not a Simpang
    ],
)
def test_a_proposal_name_finds_its_ruas_first(query, expected):
    ranked = rank_ruas(query, NETWORK, limit=3)
    assert ranked.loc[0, "name"] == expected
    assert ranked.loc[0, "score"] >= 0.85
    assert ranked.loc[0, "score"] - ranked.loc[1, "score"] >= 0.05


def test_a_road_not_in_the_network_scores_low():
    ranked = rank_ruas("Sorong - Klamono", NETWORK)
    assert ranked.loc[0, "score"] < 0.7


def test_the_end_names_are_the_same_in_either_order_and_spelling():
    assert set(ruas_ends("Sibuni - Masni")) == set(ruas_ends("Masni s.d. Sibuni"))
    assert normalise_ruas_name("Jln. Soekarno - Hatta") == "sukarno - hatta"
    assert normalise_ruas_name("Tanjung Pinang") == "tanjung pinang"  # nj stays nj


def test_a_ruas_name_not_found_as_written_names_the_closest_ruas_with_scores():
    import geopandas as gpd
    from shapely import LineString

    from geo.spatial.network import RoadNetwork

    roads = gpd.GeoDataFrame(
        {"road_id": ["064", "063"], "name": NETWORK[10:12], "status": ["provinsi"] * 2},
        geometry=[
            LineString([(109.0, -7.3), (109.1, -7.3)]),
            LineString([(109.0, -7.4), (109.1, -7.4)]),
        ],
        crs=4326,
    )
    g, why = RoadNetwork(roads).find_ruas("Bts. Kab. Tjilatjap s.d. Salem")
    assert g == -1, "never a guess: the record is not placed"
    assert "closest by name (as proposal lists write them): 064 (Jl. Raya Salem" in why
    assert "(1.00)" in why
