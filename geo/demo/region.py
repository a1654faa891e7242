"""The ILLUSTRATIVE demo region: a made-up province, its roads, irrigation areas and uploads.

Nothing here is survey data. "Provinsi Contoh (ilustrasi)" (kode 99, a code no real province has)
is an invented province drawn on land in Sumatra, about lon 102.9..104.4, lat -2.45..-1.15; its
kabupaten/kota ("Kab. Sungai Contoh", "Kota Contoh", ...), towns, villages, rivers, Daerah
Irigasi, agencies, project names, codes and budgets are invented too. What is meant to look real
is the *shape* of the data: two national routes through the province, provincial roads linking
the district capitals, kabupaten roads branching out to villages, irrigation areas of every
authority class, and agency project lists that collide the way real ones do. Geometry is built
in WGS 84 / UTM 48S (EPSG:32748), so every distance below is in metres, and returned in
EPSG:4326. The same seed gives the same region; every seed gives the same findings and ids.

Deliberate findings
-------------------
Placed on purpose and listed, with their evidence, in ``DemoRegion.expected_findings``
(:func:`format_findings_table` renders them for the README). Nothing else collides: every other
project keeps more than ``CLEARANCE_M`` (60 m) from every other project. Project ids start with
the agency: ``PJN-`` BPJN Wilayah Contoh, ``BWS-`` BWS Sumatera Contoh, ``9900-`` Dinas PUPR
Provinsi Contoh, ``9901-`` .. ``9904-`` Dinas PUPR Kab. Sungai / Rawa / Bukit / Tanjung Contoh.

===  ==========  ==========  ===============================================  =================
key  kind        asset       projects                                         evidence
===  ==========  ==========  ===============================================  =================
O1   overlap     road        PJN-C-2025-002 x 9900-1.03.10.2.01.0001          3,000 m of one
                                                                              national ruas
O2   overlap     road        9900-1.03.10.2.01.0003 x 9903-1.03.10.2.01.0001  2,000 m of one
                                                                              provincial ruas
O3   overlap     road        PJN-C-2025-005 x 9901-1.03.10.2.01.0001          1,200 m of one
                                                                              national ruas
O4   overlap     road        9904-1.03.10.2.01.0001 x 9904-1.03.10.2.01.0002  700 m, one agency
O5   overlap     bridge      PJN-C-2025-004 x 9900-1.03.10.2.01.0002          same bridge, 12 m
O6   overlap     irrigation  BWS-C-2025-001 x 9904-1.03.03.2.01.0003          >= 60 ha shared
C1   cross_type  bridge      PJN-C-2025-003 on road PJN-C-2025-002            bridge in stretch
T1   trap        road        PJN-C-2025-006 x 9902-1.03.10.2.01.0001          cross, ~40 m
T2   trap        road        PJN-C-2025-001 x PJN-C-2025-002                  end to end
T3   trap        road        PJN-C-2025-007 x 9902-1.03.10.2.01.0002          parallel, 80 m
T4   trap        road        9900-1.03.10.2.01.0004 x 9900-1.03.10.2.01.0005  same 3 km, 2024
                                                                              and 2026
T5   trap        irrigation  9900-1.03.03.2.01.0007 x 9902-1.03.03.2.01.0003  2 m sliver, <1 ha
A1   authority   road        9900-1.03.10.2.01.0001 (O1)                      provinsi on jalan
                                                                              nasional
A2   authority   road        9903-1.03.10.2.01.0001 (O2)                      kabupaten on jalan
                                                                              provinsi
A3   authority   road        9901-1.03.10.2.01.0001 (O3, APBD Kabupaten)      kabupaten on jalan
                                                                              nasional
A4   authority   road        9900-1.03.10.2.01.0006                           provinsi on jalan
                                                                              kabupaten
A5   authority   bridge      9900-1.03.10.2.01.0002 (O5)                      provinsi bridge on
                                                                              jalan nasional
A6   authority   irrigation  9904-1.03.03.2.01.0003 (O6)                      kabupaten in a DI
                                                                              > 3,000 ha
X1   exception   road        PJN-C-2024-008 (IJD)                             BPJN on jalan
                                                                              kabupaten
X2   exception   road        9901-1.03.10.2.01.0002 (Tugas Pembantuan)        kabupaten on jalan
                                                                              nasional
G1   gap         --          Kab. Hulu Contoh (99.10)                         no project at all
G2   gap         road        K-10-001, K-10-002 and >= 2 other ruas           rusak berat, no
                                                                              project
===  ==========  ==========  ===============================================  =================

Overlaps and traps follow DESIGN section 5 (20 m tolerance, 50 m minimum shared length; bridges
within 50 m; irrigation >= 1 ha and >= 5% of the smaller); every pair above has intersecting
years except T4. Road authority follows the road status (UU 38/2004 jo. UU 2/2022: jalan
nasional -> pusat, provinsi -> provinsi, kabupaten/kota -> kabupaten); irrigation follows
Permen PUPR 14/2015 (> 3,000 ha pusat; 1,000-3,000 ha or crossing kabupaten provinsi; < 1,000 ha
in one kabupaten kabupaten). IJD (Inpres 3/2023: BPJN works on regional roads with APBN) and
Tugas Pembantuan are legitimate exceptions: shown, not flagged. Project statuses are as of
mid-2025.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import substring

from geo.schema import RECORD_COLUMNS
from geo.spatial.network import sta_text

#: Metric CRS the region is built in: WGS 84 / UTM zone 48S covers lon 102..108 (the region).
UTM_CRS = "EPSG:32748"
#: CRS of everything returned.
GEO_CRS = "EPSG:4326"
#: Centre of the invented province, lon/lat degrees (inland Jambi/South Sumatra, on land).
CENTRE_LONLAT = (103.6, -1.8)
#: Vertex spacing of the reference road network, metres.
ROAD_VERTEX_SPACING_M = 50.0
#: Every project keeps at least this far from every project outside its own deliberate finding,
#: in metres: well beyond the 20 m overlap tolerance and the 50 m bridge distance.
CLEARANCE_M = 60.0

PROVINCE_KODE = "99"
PROVINCE_NAMA = "Provinsi Contoh (ilustrasi)"

#: kode -> (nama, jenis, ibu kota). Codes are given by role (see ``_Builder._assign_roles``), so
#: project ids and findings do not depend on the seed. Kota codes start at 71, as real ones do.
UNIT_NAMES: dict[str, tuple[str, str, str]] = {
    "99.01": ("Kab. Sungai Contoh", "kabupaten", "Muara Contoh"),
    "99.02": ("Kab. Rawa Contoh", "kabupaten", "Simpang Contoh"),
    "99.03": ("Kab. Bukit Contoh", "kabupaten", "Pematang Contoh"),
    "99.04": ("Kab. Tanjung Contoh", "kabupaten", "Tanjung Contoh"),
    "99.05": ("Kab. Lembah Contoh", "kabupaten", "Lubuk Contoh"),
    "99.06": ("Kab. Danau Contoh", "kabupaten", "Danau Contoh"),
    "99.07": ("Kab. Hilir Contoh", "kabupaten", "Kuala Contoh"),
    "99.08": ("Kab. Talang Contoh", "kabupaten", "Talang Contoh"),
    "99.09": ("Kab. Ladang Contoh", "kabupaten", "Ladang Contoh"),
    "99.10": ("Kab. Hulu Contoh", "kabupaten", "Hulu Contoh"),
    "99.71": ("Kota Contoh", "kota", "Kota Contoh"),
    "99.72": ("Kota Tepian Contoh", "kota", "Tepian Contoh"),
}
#: The kabupaten with the most national road (O3, X2).
KAB_NATIONAL_A = "99.01"
#: The kabupaten with the most national road 2 km or more inside its border, among the rest
#: (T1, T3, T5): room for a road across it.
KAB_NATIONAL_B = "99.02"
#: The kabupaten with the most provincial road among the rest (O2).
KAB_PROVINCIAL = "99.03"
#: The largest remaining kabupaten, home of the big Daerah Irigasi (O4, O6).
KAB_LARGE = "99.04"
#: The kabupaten without any project (G1): the one with the least national road.
KAB_GAP = "99.10"
KOTA_CAPITAL = "99.71"
KOTA_SECOND = "99.72"
#: Agency keys of the kabupaten that upload projects.
KAB_AGENCIES = (KAB_NATIONAL_A, KAB_NATIONAL_B, KAB_PROVINCIAL, KAB_LARGE)

ROAD_STATUSES = ("nasional", "provinsi", "kabupaten")
ROAD_CONDITIONS = ("baik", "sedang", "rusak ringan", "rusak berat")
FUNDING_SOURCES = ("APBN", "APBD Provinsi", "APBD Kabupaten", "DAK", "IJD", "Tugas Pembantuan")
WORK_TYPES = ("pembangunan", "peningkatan", "rehabilitasi", "pemeliharaan", "preservasi")
PROJECT_STATUSES = ("usulan", "kontrak", "berjalan", "selesai")
YEARS = (2024, 2025, 2026)

AGENCY_BPJN = "BPJN Wilayah Contoh"
AGENCY_BWS = "BWS Sumatera Contoh"
AGENCY_PROVINSI = "Dinas PUPR Provinsi Contoh"

_NATIONAL_ROUTES = ("Lintas Contoh", "Lintas Tepian")
_RIVERS = (
    "Rotan Pinang Lebar Dalam Kundur Puding Aur Rengas Bayas Kemang Tebing Nibung Jernih Gelam "
    "Medang Petai Seluang Baung Lais Tapah Keruh Sialang Kepayang Betung Mentulik Gadis Tenang "
    "Kumbang"
).split()
_VILLAGE_FIRST = ("Sinar", "Mekar", "Sumber", "Suka", "Karya", "Bina", "Tunas", "Bumi", "Rantau")
_VILLAGE_SECOND = ("Jaya", "Makmur", "Baru", "Indah", "Sari", "Mulya", "Damai", "Maju", "Lestari")

#: Budget years: one year, or the first and last year of a multi-year contract.
Years = int | tuple[int, int]

#: Work type of each verb used in project names.
_WORK = {
    "Preservasi": "preservasi",
    "Peningkatan": "peningkatan",
    "Penanganan": "peningkatan",
    "Rehabilitasi": "rehabilitasi",
    "Pemeliharaan": "pemeliharaan",
    "Pemeliharaan Berkala": "pemeliharaan",
    "Pembangunan": "pembangunan",
    "Penggantian": "pembangunan",
}
#: Illustrative unit costs: roads in billion Rp per km by work type, scaled by level (smaller
#: roads are cheaper), bridges in billion Rp each, irrigation in million Rp per hectare.
_ROAD_BN_PER_KM = {
    "preservasi": (1.8, 2.6),
    "peningkatan": (1.5, 2.5),
    "rehabilitasi": (1.2, 2.0),
    "pemeliharaan": (0.3, 0.6),
    "pembangunan": (2.5, 4.0),
}
_ROAD_LEVEL_FACTOR = {"pusat": 1.0, "provinsi": 0.8, "kabupaten": 0.55}
_BRIDGE_BN = {"pusat": (6.0, 22.0), "provinsi": (2.0, 8.0), "kabupaten": (0.6, 4.0)}
_IRRIGATION_MN_PER_HA = {"pusat": (8.0, 14.0), "provinsi": (6.0, 10.0), "kabupaten": (4.0, 8.0)}
#: What each level's ordinary projects do: verbs of road and bridge names, road lengths (m).
_ROAD_VERBS = {
    "pusat": ("Preservasi",),
    "provinsi": ("Peningkatan", "Rehabilitasi", "Pemeliharaan Berkala", "Pembangunan"),
    "kabupaten": ("Peningkatan", "Rehabilitasi", "Pemeliharaan Berkala", "Pembangunan"),
}
_BRIDGE_VERBS = {
    "pusat": ("Penggantian", "Preservasi"),
    "provinsi": ("Rehabilitasi", "Penggantian", "Pemeliharaan"),
    "kabupaten": ("Rehabilitasi", "Penggantian", "Pemeliharaan"),
}
_ROAD_LENGTH_M = {
    "pusat": (3000.0, 9000.0),
    "provinsi": (2000.0, 6000.0),
    "kabupaten": (1000.0, 3500.0),
}

_RULE_ROAD = "UU 38/2004 jo. UU 2/2022: jalan {} kewenangan Pemerintah {}; dikerjakan {}"
#: One line per deliberate finding (Bahasa Indonesia), used as ``ExpectedFinding.note``.
FINDING_NOTES: dict[str, str] = {
    "O1": "Provinsi mengulang 3 km preservasi BPJN pada ruas nasional yang sama (2025)",
    "O2": "Kabupaten mengulang 2 km peningkatan jalan provinsi pada ruas yang sama (2026)",
    "O3": "Kabupaten (APBD) memelihara 1,2 km ruas nasional yang dipreservasi BPJN (2025)",
    "O4": "Satu dinas mencantumkan 700 m ruas yang sama dalam dua paket (instansi sama, 2024)",
    "O5": "Jembatan yang sama ada di daftar BPJN dan daftar provinsi (2025)",
    "O6": "BWS dan kabupaten sama-sama menangani >= 60 ha petak irigasi yang sama (2025)",
    "C1": "Jembatan BPJN terletak pada ruas yang dipreservasi BPJN (informasi lintas jenis)",
    "T1": "Jalan kabupaten hanya memotong ruas nasional (< 50 m bersama): bukan tumpang tindih",
    "T2": "Seg. 1 dan Seg. 2 bersambung ujung ke ujung: bukan tumpang tindih",
    "T3": "Jalan lama sejajar 80 m dari ruas nasional: bukan tumpang tindih",
    "T4": "Ruas yang sama pada 2024 dan 2026: tahun tidak beririsan, bukan tumpang tindih",
    "T5": "Dua D.I. bertetangga beririsan selebar ~2 m (< 1 ha, < 5%): bukan tumpang tindih",
    "A1": _RULE_ROAD.format("nasional", "Pusat", "provinsi"),
    "A2": _RULE_ROAD.format("provinsi", "Provinsi", "kabupaten"),
    "A3": _RULE_ROAD.format("nasional", "Pusat", "kabupaten dengan APBD Kabupaten"),
    "A4": _RULE_ROAD.format("kabupaten", "Kabupaten", "provinsi"),
    "A5": _RULE_ROAD.format("nasional", "Pusat", "provinsi (jembatan)"),
    "A6": "Permen PUPR 14/2015: D.I. > 3.000 ha kewenangan Pemerintah Pusat; dikerjakan kabupaten",
    "X1": "BPJN menangani jalan kabupaten dengan dana IJD (Inpres 3/2023): pengecualian sah",
    "X2": "Kabupaten mengerjakan ruas nasional dengan dana Tugas Pembantuan: pengecualian sah",
    "G1": "Tidak ada satu pun paket pekerjaan (jalan, jembatan, irigasi) di kabupaten ini",
    "G2": "Ruas berkondisi rusak berat tanpa paket pekerjaan",
}


@dataclass(frozen=True)
class ExpectedFinding:
    """One finding placed in the demo on purpose, with the evidence it was built with.

    Attributes
    ----------
    key
        Stable short id, e.g. ``"O1"`` (see the module docstring table).
    kind
        ``overlap`` (two projects doing the same work), ``cross_type`` (a bridge project on a
        road project's stretch), ``trap`` (looks like an overlap but is not one), ``authority``
        (work outside the level's kewenangan), ``exception`` (outside it, with a legitimate
        funding source: shown, not flagged) or ``gap`` (need without a project).
    asset_type
        ``road``, ``bridge``, ``irrigation``, or ``""`` for a whole administrative unit.
    project_ids
        Projects involved; ids are unique across all demo agencies.
    agencies
        Agency of each project, in the order of ``project_ids``.
    shared_m
        Roads: length of the shared stretch by construction, metres (measured with a 20 m
        tolerance it comes out up to ~40 m longer; the crossing trap: ~40 m).
    shared_ha
        Irrigation: intersection area, hectares; a lower bound for the overlap, the measured
        sliver for the trap.
    distance_m
        Bridges: distance between the two points, metres; parallel trap: the offset, metres.
    reference
        Reference features involved: ``kode_ruas`` of roads, ``nama`` of Daerah Irigasi, or
        ``kode`` of an administrative unit.
    note
        One line in Bahasa Indonesia: what it is and, for authority, the rule it cites.
    """

    key: str
    kind: str
    asset_type: str
    project_ids: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    shared_m: float | None = None
    shared_ha: float | None = None
    distance_m: float | None = None
    reference: tuple[str, ...] = ()
    note: str = ""


@dataclass(frozen=True, eq=False)
class DemoUpload:
    """One agency's project file, as the agency would upload it.

    Attributes
    ----------
    file_name
        Illustrative file name, e.g. ``"demo_bpjn_wilayah_contoh_2024-2026.gpkg"``.
    agency
        Agency (satker / SKPD) name, the same as every row's ``agency``.
    level
        ``pusat``, ``provinsi`` or ``kabupaten``.
    projects
        ``RECORD_COLUMNS`` + ``geometry``, EPSG:4326.
    """

    file_name: str
    agency: str
    level: str
    projects: gpd.GeoDataFrame


@dataclass(frozen=True, eq=False)
class DemoRegion:
    """The illustrative demo region, every layer in EPSG:4326 (compared by identity).

    Attributes
    ----------
    province
        One polygon: ``kode``, ``nama``.
    admin_units
        Kabupaten/kota tiling the province: ``kode``, ``nama``, ``jenis``
        (``kabupaten``/``kota``), ``ibu_kota``, ``penduduk`` (population, int).
    roads
        Reference road network, one line per ruas: ``kode_ruas``, ``nama_ruas``, ``status``
        (``nasional``/``provinsi``/``kabupaten``), ``kondisi`` (``baik``/``sedang``/
        ``rusak ringan``/``rusak berat``), ``lebar_m``, ``kode_wilayah`` (kode of the unit of a
        kabupaten/kota road, empty for the others).
    irrigation_areas
        Daerah Irigasi polygons: ``nama``, ``luas_ha`` (measured in UTM 48S),
        ``lintas_kabupaten``, ``kewenangan`` (Permen PUPR 14/2015, see
        :func:`kewenangan_irigasi`).
    uploads
        One :class:`DemoUpload` per agency.
    expected_findings
        The deliberate findings (see the module docstring).
    seed
        Seed the region was generated with.
    """

    province: gpd.GeoDataFrame
    admin_units: gpd.GeoDataFrame
    roads: gpd.GeoDataFrame
    irrigation_areas: gpd.GeoDataFrame
    uploads: tuple[DemoUpload, ...]
    expected_findings: tuple[ExpectedFinding, ...]
    seed: int

    def all_projects(self) -> gpd.GeoDataFrame:
        """Every upload's projects in one frame (``RECORD_COLUMNS`` + geometry, EPSG:4326)."""
        frames = [upload.projects for upload in self.uploads]
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=GEO_CRS)

    def finding(self, key: str) -> ExpectedFinding:
        """The expected finding with this ``key``, e.g. ``"O1"``.

        Raises
        ------
        KeyError
            No finding has this key; the message lists the keys there are.
        """
        for item in self.expected_findings:
            if item.key == key:
                return item
        keys = ", ".join(item.key for item in self.expected_findings)
        raise KeyError(f"no expected finding {key!r}; the demo has {keys}")


def make_demo_region(seed: int = 2025) -> DemoRegion:
    """Generate the illustrative demo region: pure, and deterministic for a given ``seed``.

    Parameters
    ----------
    seed
        Seed of :func:`numpy.random.default_rng`; the same seed gives the same region.

    Returns
    -------
    DemoRegion
        Every layer in EPSG:4326; the lengths and areas it quotes are in metres and hectares
        measured in UTM 48S (EPSG:32748).

    Examples
    --------
    >>> region = make_demo_region()
    >>> sorted(region.admin_units["jenis"].unique())
    ['kabupaten', 'kota']
    >>> region.finding("O1").shared_m
    3000.0
    """
    return _Builder(seed).build()


def kewenangan_irigasi(luas_ha: float, lintas_kabupaten: bool) -> str:
    """Authority over a Daerah Irigasi by Permen PUPR 14/2015.

    Parameters
    ----------
    luas_ha
        Area of the DI, hectares.
    lintas_kabupaten
        Whether the DI crosses a kabupaten/kota boundary.

    Returns
    -------
    str
        ``pusat`` above 3,000 ha; ``provinsi`` from 1,000 to 3,000 ha or when it crosses
        kabupaten; ``kabupaten`` below 1,000 ha within one kabupaten.

    Examples
    --------
    >>> kewenangan_irigasi(3200.0, False), kewenangan_irigasi(800.0, True)
    ('pusat', 'provinsi')
    """
    if luas_ha > 3000.0:
        return "pusat"
    if luas_ha >= 1000.0 or lintas_kabupaten:
        return "provinsi"
    return "kabupaten"


def format_findings_table(findings: Sequence[ExpectedFinding]) -> str:
    """The expected findings as a Markdown table, for the README and the app's demo notes.

    Parameters
    ----------
    findings
        Usually ``make_demo_region().expected_findings``.

    Returns
    -------
    str
        One row per finding: key, kind, asset, projects (agency), evidence, note.
    """
    rows = ["| key | kind | asset | projects | evidence | note |", "|---|---|---|---|---|---|"]
    for item in findings:
        evidence = []
        if item.shared_m is not None:
            evidence.append(f"{item.shared_m:,.0f} m shared")
        if item.shared_ha is not None:
            evidence.append(f"{item.shared_ha:,.2f} ha shared")
        if item.distance_m is not None:
            evidence.append(f"{item.distance_m:,.0f} m apart")
        if item.reference:
            evidence.append(", ".join(item.reference))
        pairs = zip(item.project_ids, item.agencies, strict=True)
        projects = ", ".join(f"{pid} ({agency})" for pid, agency in pairs)
        rows.append(
            f"| {item.key} | {item.kind} | {item.asset_type or '-'} | {projects or '-'} "
            f"| {'; '.join(evidence) or '-'} | {item.note} |"
        )
    return "\n".join(rows)


# --------------------------------------------------------------------------------------------
# geometry helpers: UTM 48S metres in, UTM 48S metres out


def _winding_line(
    start: np.ndarray,
    end: np.ndarray,
    rng: np.random.Generator,
    *,
    amplitude: float = 1.0,
    spacing_m: float = ROAD_VERTEX_SPACING_M,
) -> LineString:
    """A smooth winding road from ``start`` to ``end``, vertices about ``spacing_m`` apart.

    The lateral offset is a function of the distance along the chord, so the line never crosses
    itself; its slope stays below ~0.4 and its bends have radii of kilometres.
    """
    start, end = np.asarray(start, float), np.asarray(end, float)
    chord = end - start
    length = float(np.hypot(*chord))
    along = chord / length
    normal = np.array([-along[1], along[0]])
    s = np.linspace(0.0, length, max(math.ceil(length / spacing_m), 1) + 1)
    offset = np.zeros_like(s)
    for k in range(1, 5):
        # broad bends that vanish at both ends: the road reaches its towns
        sigma = 0.02 * length / k**1.5
        height = np.clip(rng.normal(0.0, sigma), -2 * sigma, 2 * sigma)
        offset += height * np.sin(k * np.pi * s / length)
    ramp = np.clip(np.minimum(s, length - s) / 1500.0, 0.0, 1.0)
    ramp = 0.5 - 0.5 * np.cos(np.pi * ramp)
    for wavelength, height in ((5000.0, 220.0), (2000.0, 40.0), (900.0, 10.0)):
        # local curves, faded in over 1.5 km so that a road leaves its town along its chord
        phase = rng.uniform(0, 2 * np.pi)
        offset += ramp * height * rng.uniform(0.5, 1.0) * np.sin(2 * np.pi * s / wavelength + phase)
    return LineString(start + np.outer(s, along) + np.outer(amplitude * offset, normal))


def _blob(
    centre: Sequence[float] | np.ndarray, area_m2: float, rng: np.random.Generator
) -> Polygon:
    """A smooth irregular polygon of ``area_m2`` around ``centre``."""
    theta = np.linspace(0.0, 2 * np.pi, 96, endpoint=False)
    rel = np.ones_like(theta)
    for k in range(2, 6):
        rel += 0.12 / k * rng.normal() * np.cos(k * theta + rng.uniform(0, 2 * np.pi))
    ring = np.clip(rel, 0.6, None)[:, None] * np.c_[np.cos(theta), np.sin(theta)]
    scale = math.sqrt(area_m2 / Polygon(ring).area)
    return Polygon(np.asarray(centre, float) + scale * ring)


def _largest_line(geometry: shapely.Geometry) -> LineString | None:
    """The longest LineString part of ``geometry``, or None if it has none."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "LineString" and p.length]
    return max(parts, key=lambda p: p.length) if parts else None


def _largest_polygon(geometry: shapely.Geometry) -> Polygon:
    """The largest Polygon part of ``geometry``."""
    return max((p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"), key=_area)


def _area(geometry: shapely.Geometry) -> float:
    return geometry.area


def _departure(line: LineString, at_start: bool, distance_m: float = 800.0) -> float:
    """Heading (radians, counter-clockwise from east) in which ``line`` leaves an end."""
    length = line.length
    d = min(distance_m, length / 2)
    a = line.interpolate(0.0 if at_start else length)
    b = line.interpolate(d if at_start else length - d)
    return math.atan2(b.y - a.y, b.x - a.x)


def _angle_gap(a: float, b: float) -> float:
    """Smallest absolute difference of two headings, radians."""
    return abs((a - b + math.pi) % (2 * math.pi) - math.pi)


def _normal_at(line: LineString, at_m: float) -> np.ndarray:
    """Unit vector to the left of ``line`` at ``at_m`` along it."""
    a = line.interpolate(max(at_m - 10.0, 0.0))
    b = line.interpolate(min(at_m + 10.0, line.length))
    dx, dy = b.x - a.x, b.y - a.y
    return np.array([-dy, dx]) / math.hypot(dx, dy)


def _point_on(line: LineString, at_m: float, lateral_m: float) -> Point:
    """The point ``lateral_m`` to the left of ``line`` at ``at_m`` along it."""
    xy = np.array(line.interpolate(at_m).coords[0]) + lateral_m * _normal_at(line, at_m)
    return Point(xy)


def _redigitise(
    line: LineString,
    start_m: float,
    end_m: float,
    rng: np.random.Generator,
    *,
    reverse: bool | None = None,
) -> LineString:
    """Stretch ``start_m..end_m`` of ``line`` as another agency would digitise it.

    Another vertex spacing (25-120 m), a smooth lateral shift of 1-4 m plus ~0.4 m of jitter
    (never more than 5 m in all) and, about one time in three, the opposite direction.
    """
    spacing = float(rng.choice([25.0, 40.0, 60.0, 90.0, 120.0]))
    distances = np.linspace(start_m, end_m, max(math.ceil((end_m - start_m) / spacing), 1) + 1)
    xy = shapely.get_coordinates(shapely.line_interpolate_point(line, distances))
    tangent = np.gradient(xy, axis=0)
    tangent /= np.hypot(tangent[:, 0], tangent[:, 1])[:, None]
    normal = np.c_[-tangent[:, 1], tangent[:, 0]]
    wave = 2 * np.pi * (distances - start_m) / rng.uniform(300.0, 1500.0) + rng.uniform(0, 6.3)
    shift = rng.uniform(1.0, 4.0) * np.sin(wave) + rng.normal(0.0, 0.4, len(distances))
    xy = xy + normal * np.clip(shift, -5.0, 5.0)[:, None]
    if reverse is None:
        reverse = bool(rng.random() < 0.35)
    return LineString(xy[::-1] if reverse else xy)


def _intervals_inside(line: LineString, area: shapely.Geometry) -> list[tuple[float, float]]:
    """Intervals (metres along ``line``) of the parts of ``line`` inside ``area``."""
    out = []
    for part in shapely.get_parts(shapely.intersection(line, area)):
        if part.geom_type == "LineString" and part.length >= 1.0:
            coords = shapely.get_coordinates(part)
            a, b = line.project(Point(coords[0])), line.project(Point(coords[-1]))
            out.append((min(a, b), max(a, b)))
    return sorted(out)


def _intersect_intervals(
    first: list[tuple[float, float]], second: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """Pairwise intersection of two lists of intervals."""
    out = [(max(a0, b0), min(a1, b1)) for a0, a1 in first for b0, b1 in second]
    return sorted((lo, hi) for lo, hi in out if hi > lo)


def _subtract_intervals(
    spans: list[tuple[float, float]], cuts: list[tuple[float, float]]
) -> list[tuple[float, float]]:
    """``spans`` minus every interval of ``cuts``."""
    for c0, c1 in cuts:
        kept = []
        for s0, s1 in spans:
            if c1 <= s0 or c0 >= s1:
                kept.append((s0, s1))
                continue
            if c0 > s0:
                kept.append((s0, c0))
            if c1 < s1:
                kept.append((c1, s1))
        spans = kept
    return spans


def _merge_fragments(polygons: list[shapely.Geometry]) -> list[shapely.Geometry]:
    """Give every stray part of a multipart unit to the neighbour it shares most border with."""
    polygons = list(polygons)
    for i, polygon in enumerate(polygons):
        parts = sorted(shapely.get_parts(polygon), key=_area, reverse=True)
        polygons[i] = parts[0]
        for part in parts[1:]:
            border = [
                0.0 if j == i else part.boundary.intersection(other.boundary).length
                for j, other in enumerate(polygons)
            ]
            j = int(np.argmax(border))
            polygons[j] = shapely.union(polygons[j], part)
    return polygons


def _to_geo(columns: dict, geometries: Sequence[shapely.Geometry]) -> gpd.GeoDataFrame:
    """A GeoDataFrame from UTM 48S geometries, returned in EPSG:4326."""
    frame = gpd.GeoDataFrame(pd.DataFrame(columns), geometry=list(geometries), crs=UTM_CRS)
    return frame.to_crs(GEO_CRS)


# --------------------------------------------------------------------------------------------
# the builder


@dataclass
class _Ruas:
    line: LineString
    status: str
    ends: tuple[str, str]  # names of its two ends (placeholders "cap<i>"/"bound" until named)
    unit: str = ""  # kode of the unit of a kabupaten/kota road
    route: str = ""  # national route name
    kode: str = ""
    kondisi: str = ""
    lebar_m: float = 0.0

    @property
    def nama(self) -> str:
        return f"{self.ends[0]} \u2013 {self.ends[1]}"


@dataclass
class _Project:
    agency: str  # "bpjn", "bws", "prov" or the kode of a kabupaten
    asset_type: str
    name: str
    work_type: str
    years: tuple[int, int]
    budget_idr: float
    funding_source: str
    status: str
    geometry: shapely.Geometry
    ruas: _Ruas | None = None
    project_id: str = ""


@dataclass
class _Unit:
    polygon: shapely.Geometry
    capital: np.ndarray
    jenis: str
    kode: str = ""

    @property
    def nama(self) -> str:
        return UNIT_NAMES[self.kode][0]

    @property
    def ibu_kota(self) -> str:
        return UNIT_NAMES[self.kode][2]


class _Allocator:
    """Hands out free stretches of ruas so that no two projects share a stretch by accident."""

    def __init__(self, ruas: dict[str, _Ruas], areas: dict[str, shapely.Geometry]) -> None:
        """``areas``: "" the whole usable region, else the (shrunk) polygon of each unit kode."""
        self.ruas = ruas
        self.areas = areas
        self.used: dict[str, list[tuple[float, float]]] = {kode: [] for kode in ruas}
        self._inside: dict[tuple[str, str], list[tuple[float, float]]] = {}

    def _inside_area(self, kode: str, area: str) -> list[tuple[float, float]]:
        if (kode, area) not in self._inside:
            line = self.ruas[kode].line
            self._inside[kode, area] = _intervals_inside(line, self.areas[area])
        return self._inside[kode, area]

    def free(self, kode: str, within: str | None) -> list[tuple[float, float]]:
        """Free intervals of ruas ``kode``: 400 m from its ends, 200 m from used stretches."""
        length = self.ruas[kode].line.length
        spans = [(400.0, length - 400.0)] if length > 800.0 else []
        spans = _intersect_intervals(spans, self._inside_area(kode, ""))
        if within is not None:
            spans = _intersect_intervals(spans, self._inside_area(kode, within))
        return _subtract_intervals(spans, [(a - 200.0, b + 200.0) for a, b in self.used[kode]])

    def take(
        self,
        kodes: Sequence[str],
        length_m: float,
        rng: np.random.Generator,
        within: str | None = None,
    ) -> tuple[_Ruas, float, float] | None:
        """Reserve ``length_m`` of free road on one of ``kodes`` (inside unit ``within``).

        Returns the ruas and the reserved interval in metres along it, or None if no room.
        """
        options = [
            (kode, a, b - length_m)
            for kode in kodes
            for a, b in self.free(kode, within)
            if b - a >= length_m
        ]
        if not options:
            return None
        room = np.array([hi - lo + 1.0 for _, lo, hi in options])
        kode, lo, hi = options[int(rng.choice(len(options), p=room / room.sum()))]
        start = float(rng.uniform(lo, hi))
        self.used[kode].append((start, start + length_m))
        return self.ruas[kode], start, start + length_m


class _Builder:
    """Builds one :class:`DemoRegion`; every random draw comes from one seeded generator."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = np.random.default_rng(seed)
        self.ruas: dict[str, _Ruas] = {}
        self.projects: list[_Project] = []
        self.findings: list[ExpectedFinding] = []
        self.irrigation: list[dict] = []
        self._seq: dict[str, int] = {}
        self._segments: dict[tuple[str, str], int] = {}
        rivers = [f"{kind} {name}" for name in _RIVERS for kind in ("Sungai", "Batang", "Air")]
        self._rivers = [rivers[i] for i in self.rng.permutation(len(rivers))]
        villages = [f"{a} {b}" for a in _VILLAGE_FIRST for b in _VILLAGE_SECOND]
        self._villages = [f"Desa {villages[i]}" for i in self.rng.permutation(len(villages))]

    def build(self) -> DemoRegion:
        self._make_province()
        self._make_units()
        self._make_trunk_roads()
        self._assign_roles()
        self._make_local_roads()
        self._make_irrigation_areas()
        # projects keep 150 m inside their unit and 200 m away from the gap kabupaten
        areas = {kode: unit.polygon.buffer(-150.0) for kode, unit in self.by_kode.items()}
        areas[""] = self.province.difference(self.gap_unit.buffer(200.0))
        self.alloc = _Allocator(self.ruas, areas)
        self._place_findings()
        self._place_fillers()
        self._conditions_and_gaps()
        return self._assemble()

    # ---- province and units -----------------------------------------------------------------

    def _make_province(self) -> None:
        to_utm = Transformer.from_crs(GEO_CRS, UTM_CRS, always_xy=True)
        self.centre = np.array(to_utm.transform(*CENTRE_LONLAT))
        theta = np.linspace(0.0, 2 * np.pi, 720, endpoint=False)
        rel = np.ones_like(theta)
        for k, amp in ((2, 0.07), (3, 0.05), (4, 0.03), (5, 0.03), (7, 0.02), (11, 0.008)):
            rel += amp * np.sin(k * theta + self.rng.uniform(0, 2 * np.pi))
        # ~150 x 130 km, star-shaped about the centre so that the ring is simple
        self.province = Polygon(
            self.centre + np.c_[75000.0 * rel * np.cos(theta), 65000.0 * rel * np.sin(theta)]
        )

    def _spread_points(
        self, area: Polygon, existing: list[np.ndarray], n: int, tries: int = 40
    ) -> list[np.ndarray]:
        """Best-candidate sampling: each new point as far from the others and the edge as can be."""
        minx, miny, maxx, maxy = area.bounds
        points = list(existing)
        for _ in range(n):
            candidates = np.empty((0, 2))
            while len(candidates) < tries:
                xy = self.rng.uniform([minx, miny], [maxx, maxy], size=(4 * tries, 2))
                inside = shapely.contains_xy(area, xy[:, 0], xy[:, 1])
                candidates = np.vstack([candidates, xy[inside]])
            candidates = candidates[:tries]
            gaps = candidates[:, None, :] - np.array(points)[None, :, :]
            to_points = np.hypot(gaps[..., 0], gaps[..., 1]).min(axis=1)
            to_edge = shapely.distance(area.exterior, shapely.points(candidates))
            points.append(candidates[int(np.argmax(np.minimum(to_points, 1.6 * to_edge)))])
        return points[len(existing) :]

    def _make_units(self) -> None:
        """Ten kabupaten (Voronoi cells of spread seeds) and two kota carved out of them."""
        rng = self.rng
        capital = self.centre + rng.normal(0.0, 3000.0, 2)
        inner = self.province.buffer(-15000.0)
        for _ in range(200):
            heading = rng.uniform(np.pi / 3, 2 * np.pi / 3) + (np.pi if rng.random() < 0.5 else 0)
            offset = rng.uniform(40000.0, 50000.0) * np.array(
                [math.cos(heading), math.sin(heading)]
            )
            second = capital + offset
            if inner.contains(Point(second)):
                break
        seeds = self._spread_points(self.province.buffer(-8000.0), [capital, second], 10)
        cells = shapely.get_parts(
            shapely.voronoi_polygons(shapely.multipoints(seeds), extend_to=self.province)
        )
        kota = [
            _blob(capital, 16000e4, rng).intersection(self.province),
            _blob(second, 9000e4, rng).intersection(self.province),
        ]
        carved = shapely.union_all(kota)
        kabupaten = [
            next(c for c in cells if c.contains(Point(seed)))
            .intersection(self.province)
            .difference(carved)
            for seed in seeds
        ]
        polygons = _merge_fragments(kabupaten + kota)
        capitals = [*seeds, capital, second]
        jenis = ["kabupaten"] * len(seeds) + ["kota", "kota"]
        self.units = []
        for polygon, town, kind in zip(polygons, capitals, jenis, strict=True):
            if not polygon.contains(Point(town)):
                town = np.array(polygon.point_on_surface().coords[0])
            self.units.append(_Unit(polygon, np.asarray(town), kind))

    # ---- roads ------------------------------------------------------------------------------

    def _boundary_point(self, origin: np.ndarray, heading: float) -> np.ndarray:
        far = origin + 400000.0 * np.array([math.cos(heading), math.sin(heading)])
        hits = shapely.get_coordinates(
            LineString([origin, far]).intersection(self.province.exterior)
        )
        return hits[int(np.argmin(np.hypot(*(hits - origin).T)))]

    def _add_ruas(self, ruas: _Ruas) -> _Ruas:
        """Add ``ruas`` to the network with the next code of its class."""
        prefix = {"nasional": "N-", "provinsi": "P-"}.get(ruas.status, f"K-{ruas.unit[3:]}-")
        ruas.kode = f"{prefix}{sum(k.startswith(prefix) for k in self.ruas) + 1:03d}"
        self.ruas[ruas.kode] = ruas
        return ruas

    def _clip(self, line: LineString) -> LineString:
        return _largest_line(line.intersection(self.province))

    def _make_trunk_roads(self) -> None:
        """Two national routes through the capitals near them; provincial roads for the rest."""
        rng = self.rng
        capitals = [unit.capital for unit in self.units]
        i_capital, i_second = len(self.units) - 2, len(self.units) - 1
        origin = capitals[i_capital]
        toward_second = math.atan2(*(capitals[i_second] - origin)[::-1])
        west = self._boundary_point(origin, np.pi + rng.uniform(-0.25, 0.25))
        east = self._boundary_point(origin, rng.uniform(-0.25, 0.25))
        beyond_second = self._boundary_point(origin, toward_second)
        opposite = self._boundary_point(origin, toward_second + np.pi + rng.uniform(-0.3, 0.3))
        # one route west-east through the capital, one through the second city and the capital
        routes: tuple[tuple[str, list[int | np.ndarray]], ...] = (
            (_NATIONAL_ROUTES[0], [west, i_capital, east]),
            (_NATIONAL_ROUTES[1], [beyond_second, i_second, i_capital, opposite]),
        )
        joined: set[tuple[int, int]] = set()
        on_route = {i_capital, i_second}

        def where(node: int | np.ndarray) -> np.ndarray:
            return capitals[node] if isinstance(node, int) else node

        for route, nodes in routes:
            chord = LineString([where(n) for n in nodes])
            near = [
                i
                for i in range(len(self.units) - 2)
                if i not in on_route and chord.distance(Point(capitals[i])) < 9000.0
            ]
            on_route.update(near)
            nodes = sorted([*nodes, *near], key=lambda n: chord.project(Point(where(n))))
            for a, b in zip(nodes, nodes[1:], strict=False):
                line = self._clip(_winding_line(where(a), where(b), rng))
                ends = (
                    f"cap{a}" if isinstance(a, int) else "bound",
                    f"cap{b}" if isinstance(b, int) else "bound",
                )
                self._add_ruas(_Ruas(line, "nasional", ends, route=route))
                if isinstance(a, int) and isinstance(b, int):
                    joined.add((min(a, b), max(a, b)))
        # provincial roads: a spanning tree over the capitals the national roads leave unjoined,
        # built from the shortest Delaunay edges first, plus one short loop
        parent = list(range(len(self.units)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for a, b in joined:
            parent[find(a)] = find(b)
        towns = np.array(capitals)
        pairs = []
        for edge in shapely.get_parts(
            shapely.delaunay_triangles(shapely.multipoints(towns), only_edges=True)
        ):
            i, j = sorted(
                int(np.argmin(np.hypot(*(towns - xy).T))) for xy in shapely.get_coordinates(edge)
            )
            pairs.append((float(np.hypot(*(towns[i] - towns[j]))), i, j))
        loops = 1
        for length, i, j in sorted(pairs):
            connected = find(i) == find(j)
            if connected and (loops == 0 or length > 40000.0 or (i, j) in joined):
                continue
            line = self._clip(_winding_line(capitals[i], capitals[j], rng))
            if connected:
                if not self._departs_clear(line, i, j):
                    continue
                loops -= 1
            parent[find(i)] = find(j)
            self._add_ruas(_Ruas(line, "provinsi", (f"cap{i}", f"cap{j}")))

    def _headings_at(self, i: int) -> list[float]:
        """Headings of the roads leaving capital ``i``."""
        town = Point(self.units[i].capital)
        out = []
        for ruas in self.ruas.values():
            coords = shapely.get_coordinates(ruas.line)
            if Point(coords[0]).distance(town) < 1.0:
                out.append(_departure(ruas.line, True))
            if Point(coords[-1]).distance(town) < 1.0:
                out.append(_departure(ruas.line, False))
        return out

    def _departs_clear(self, line: LineString, i: int, j: int, min_deg: float = 25.0) -> bool:
        """Whether ``line`` leaves capitals ``i`` and ``j`` at an angle to every road there."""
        least = math.radians(min_deg)
        start, end = _departure(line, True), _departure(line, False)
        return all(_angle_gap(start, h) > least for h in self._headings_at(i)) and all(
            _angle_gap(end, h) > least for h in self._headings_at(j)
        )

    def _assign_roles(self) -> None:
        """Give each unit its kode by role, so that ids and findings hold for every seed."""
        n_kab = len(self.units) - 2
        lines = np.array([ruas.line for ruas in self.ruas.values()])
        status = np.array([ruas.status for ruas in self.ruas.values()])
        polygons = np.array([unit.polygon for unit in self.units])
        inside = shapely.length(shapely.intersection(lines[:, None], polygons[None, :]))
        national = inside[status == "nasional"].sum(axis=0)
        provincial = inside[status == "provinsi"].sum(axis=0)
        # road well inside a unit (2 km from its border) leaves room for roads across it
        cores = shapely.buffer(polygons, -2000.0)
        in_core = shapely.length(shapely.intersection(lines[:, None], cores[None, :]))
        national_core = in_core[status == "nasional"].sum(axis=0)
        area = shapely.area(polygons)
        rest = list(range(n_kab))
        gap = min(rest, key=lambda i: (round(national[i] / 1000.0), provincial[i]))
        rest.remove(gap)
        order = []
        for score in (national, national_core, provincial, area):
            order.append(max(rest, key=score.__getitem__))
            rest.remove(order[-1])
        order += sorted(rest, key=lambda i: self.units[i].capital[0]) + [gap]
        for no, i in enumerate(order, start=1):
            self.units[i].kode = f"99.{no:02d}"
        self.units[n_kab].kode = KOTA_CAPITAL
        self.units[n_kab + 1].kode = KOTA_SECOND
        self.by_kode = {unit.kode: unit for unit in self.units}
        self.gap_unit = self.by_kode[KAB_GAP].polygon
        for ruas in self.ruas.values():
            ruas.ends = (self._end_name(ruas, 0), self._end_name(ruas, -1))

    def _end_name(self, ruas: _Ruas, index: int) -> str:
        """Name of an end of a trunk road: its town, or the province boundary it leaves by."""
        end = ruas.ends[index]
        if end.startswith("cap"):
            return self.units[int(end[3:])].ibu_kota
        dx, dy = shapely.get_coordinates(ruas.line)[index] - self.centre
        quarter = int(((math.atan2(dy, dx) + np.pi / 4) % (2 * np.pi)) // (np.pi / 2))
        return "Batas Prov. " + ("Timur", "Utara", "Barat", "Selatan")[quarter]

    def _make_local_roads(self) -> None:
        """Kabupaten/kota roads: spokes from each capital out to villages inside its unit."""
        rng = self.rng
        for unit in sorted(self.units, key=lambda u: u.kode):
            index = self.units.index(unit)
            wanted, lengths = (
                (3, (7000.0, 13000.0)) if unit.jenis == "kabupaten" else (2, (3000.0, 5000.0))
            )
            inner = unit.polygon.buffer(-400.0)
            made = 0
            for degrees in rng.permutation(np.arange(0, 360, 15)):
                heading = math.radians(float(degrees))
                taken = self._headings_at(index)
                if made == wanted or any(_angle_gap(heading, h) < math.radians(35) for h in taken):
                    continue
                end = unit.capital + rng.uniform(*lengths) * np.array(
                    [math.cos(heading), math.sin(heading)]
                )
                line = _winding_line(unit.capital, end, rng, amplitude=0.6)
                parts = [p for p in shapely.get_parts(line.intersection(inner)) if p.length > 0]
                if not parts:
                    continue
                part = min(parts, key=lambda p: p.distance(Point(unit.capital)))
                if part.length >= 2500.0:
                    ends = (unit.ibu_kota, self._villages.pop())
                    self._add_ruas(_Ruas(part, "kabupaten", ends, unit=unit.kode))
                    made += 1

    # ---- irrigation areas -------------------------------------------------------------------

    def _place_blob(self, area: shapely.Geometry, area_ha: float, tries: int = 300) -> Polygon:
        """A DI of about ``area_ha`` (+-7%) inside ``area``, 300 m clear of every DI before."""
        area_ha *= self.rng.uniform(0.93, 1.07)
        radius = math.sqrt(area_ha * 1e4 / math.pi)
        inner = area.buffer(-(1.35 * radius + 300.0))
        taken = shapely.union_all([di["geometry"] for di in self.irrigation]).buffer(300.0)
        if not inner.is_empty:
            minx, miny, maxx, maxy = inner.bounds
            for _ in range(tries):
                xy = self.rng.uniform([minx, miny], [maxx, maxy])
                if not inner.contains(Point(xy)):
                    continue
                blob = _blob(xy, area_ha * 1e4, self.rng)
                if blob.within(area.buffer(-100.0)) and not blob.intersects(taken):
                    return blob
        raise RuntimeError(f"seed {self.seed}: no room for a Daerah Irigasi of {area_ha} ha")

    def _add_di(self, key: str, nama: str, polygon: Polygon) -> None:
        self.di[key] = {"nama": nama, "geometry": polygon}
        self.irrigation.append(self.di[key])

    def _make_irrigation_areas(self) -> None:
        """Ten DIs: two > 3,000 ha, two 1,000-3,000 ha, one across a boundary, five small."""
        rng = self.rng
        names = iter(f"D.I. {river}" for river in self._rivers)  # bridges take from the end
        self.di: dict[str, dict] = {}
        self._add_di("big", next(names), self._place_blob(self.by_kode[KAB_LARGE].polygon, 5200.0))
        others = [
            self.by_kode[k]
            for k in UNIT_NAMES
            if k[3] == "0" and k not in (KAB_GAP, KAB_NATIONAL_B, KAB_LARGE)
        ]
        for key, ha in (("pusat", 3700.0), ("provinsi", 1800.0)):
            unit = others[int(rng.integers(len(others)))]
            self._add_di(key, next(names), self._place_blob(unit.polygon, ha))
        # two neighbouring DIs divided by a canal: "Kanan" (provinsi) and "Kiri" (kabupaten)
        pair = self._place_blob(self.by_kode[KAB_NATIONAL_B].polygon, 1950.0)
        centre = np.array(pair.centroid.coords[0])
        heading = rng.uniform(0, 2 * np.pi)
        across = np.array([math.cos(heading), math.sin(heading)])
        along = np.array([-across[1], across[0]])
        canal = shapely.get_coordinates(
            _winding_line(centre - 8000.0 * along, centre + 8000.0 * along, rng, amplitude=0.3)
        )

        def side_of(shift: float, width: float) -> Polygon:
            return Polygon(np.vstack([canal + shift * across, canal[::-1] + width * across]))

        def kiri_at(shift: float) -> shapely.Geometry:
            return pair.intersection(side_of(shift, shift + 10000.0))

        low, high = -3000.0, 3000.0
        kiri_m2 = rng.uniform(600e4, 700e4)
        for _ in range(40):
            mid = (low + high) / 2
            low, high = (low, mid) if kiri_at(mid).area < kiri_m2 else (mid, high)
        kiri = _largest_polygon(kiri_at(high))
        # both halves cut by the same canal line, so that they share its vertices exactly
        kanan = _largest_polygon(pair.intersection(side_of(high, high - 10000.0)))
        base = next(names)
        self._add_di("kanan", f"{base} Kanan", kanan)
        self._add_di("kiri", f"{base} Kiri", kiri)
        self._add_di("lintas", next(names), self._place_across_boundary(850.0))
        for key, kode, ha in (
            ("kab_a", KAB_NATIONAL_A, 700.0),
            ("kab_provincial", KAB_PROVINCIAL, 420.0),
            ("gap", KAB_GAP, 260.0),
            ("kab_large", KAB_LARGE, 180.0),
        ):
            self._add_di(key, next(names), self._place_blob(self.by_kode[kode].polygon, ha))
        for di in self.irrigation:
            di["luas_ha"] = round(di["geometry"].area / 1e4, 2)
            shares = [u.polygon.intersection(di["geometry"]).area for u in self.units]
            di["lintas_kabupaten"] = sum(share > 1e4 for share in shares) > 1
            di["kewenangan"] = kewenangan_irigasi(di["luas_ha"], di["lintas_kabupaten"])

    def _place_across_boundary(self, area_ha: float) -> Polygon:
        """A DI astride the border of two kabupaten (neither the gap kabupaten nor a kota)."""
        kabs = [u for u in self.units if u.jenis == "kabupaten" and u.kode != KAB_GAP]
        borders = []
        for i, a in enumerate(kabs):
            for b in kabs[i + 1 :]:
                shared = shapely.line_merge(a.polygon.boundary.intersection(b.polygon.boundary))
                shared = _largest_line(shared)
                if shared is not None and shared.length > 6000.0:
                    borders.append(shared)
        keep_out = shapely.union_all(
            [di["geometry"].buffer(300.0) for di in self.irrigation]
            + [self.gap_unit.buffer(500.0)]
            + [u.polygon.buffer(500.0) for u in self.units if u.jenis == "kota"]
            + [self.province.exterior.buffer(500.0)]
        )
        for k in self.rng.permutation(len(borders)):
            for t in self.rng.uniform(0.2, 0.8, 10):
                at = borders[k].interpolate(t, normalized=True).coords[0]
                blob = _blob(at, area_ha * self.rng.uniform(0.93, 1.07) * 1e4, self.rng)
                shares = [u.polygon.intersection(blob).area for u in self.units]
                if not blob.intersects(keep_out) and sum(s > 0.2 * blob.area for s in shares) == 2:
                    return blob
        raise RuntimeError(f"seed {self.seed}: no kabupaten border to place a DI across")

    # ---- projects: ids, names, budgets --------------------------------------------------------

    def _agency_of(self, key: str) -> tuple[str, str]:
        """(agency name, level) of an agency key: "bpjn", "bws", "prov" or a kabupaten kode."""
        if key in ("bpjn", "bws"):
            return (AGENCY_BPJN if key == "bpjn" else AGENCY_BWS), "pusat"
        if key == "prov":
            return AGENCY_PROVINSI, "provinsi"
        return f"Dinas PUPR {self.by_kode[key].nama}", "kabupaten"

    def _new_id(self, project: _Project) -> str:
        """Kode paket: Balai style for pusat, pemda + sub-kegiatan style for the regions."""
        key = project.agency
        self._seq[key] = self._seq.get(key, 0) + 1
        seq = self._seq[key]
        if key in ("bpjn", "bws"):
            return f"{'PJN' if key == 'bpjn' else 'BWS'}-C-{project.years[0]}-{seq:03d}"
        pemda = "9900" if key == "prov" else key.replace(".", "")
        program = "1.03.03.2.01" if project.asset_type == "irrigation" else "1.03.10.2.01"
        return f"{pemda}-{program}.{seq:04d}"

    def _budget(self, low_bn: float, high_bn: float, scale: float = 1.0) -> float:
        """A pagu in rupiah, rounded to a million, within Rp 0.5-40 billion."""
        value = self.rng.uniform(low_bn, high_bn) * scale * 1e9
        if value < 0.5e9:  # the smallest packages are tendered at Rp 0.5-0.8 billion
            value = self.rng.uniform(0.5, 0.8) * 1e9
        return float(round(min(value, 40e9), -6))

    def _years(self, multi_year: float) -> tuple[int, int]:
        start = int(self.rng.choice(YEARS))
        return start, (start + 1 if start < 2026 and self.rng.random() < multi_year else start)

    def _project(
        self,
        key: str,
        asset_type: str,
        name: str,
        verb: str,
        years: Years,
        budget_idr: float,
        geometry: shapely.Geometry,
        funding: str | None,
        ruas: _Ruas | None = None,
    ) -> _Project:
        level = self._agency_of(key)[1]
        years = (years, years) if isinstance(years, int) else years
        if funding is None:
            funding = {"pusat": "APBN", "provinsi": "APBD Provinsi"}.get(level)
        if funding is None:
            funding = "DAK" if self.rng.random() < 0.3 else "APBD Kabupaten"
        # statuses as of mid-2025
        if years[1] < 2025:
            status = "selesai"
        elif years[0] > 2025:
            status = "usulan"
        else:
            status = "kontrak" if self.rng.random() < 0.4 else "berjalan"
        work = _WORK[verb]
        return _Project(
            key, asset_type, name, work, years, budget_idr, funding, status, geometry, ruas
        )

    def _road(
        self,
        key: str,
        ruas: _Ruas,
        start_m: float,
        end_m: float,
        verb: str,
        years: Years,
        *,
        funding: str | None = None,
        suffix: str = "",
        reverse: bool | None = None,
    ) -> _Project:
        """A road project re-digitised from ``start_m..end_m`` of ``ruas``."""
        level = self._agency_of(key)[1]
        low, high = _ROAD_BN_PER_KM[_WORK[verb]]
        budget = self._budget(low, high, _ROAD_LEVEL_FACTOR[level] * (end_m - start_m) / 1000.0)
        if level == "pusat" and ruas.status == "nasional":
            name = f"{verb} Jalan {ruas.route} Ruas {ruas.nama} Seg. {{seg}}"
        else:
            name = f"{verb} Jalan {ruas.nama} STA {sta_text(start_m)} s/d {sta_text(end_m)}"
        geometry = _redigitise(ruas.line, start_m, end_m, self.rng, reverse=reverse)
        return self._project(
            key, "road", name + suffix, verb, years, budget, geometry, funding, ruas
        )

    def _bridge(
        self,
        key: str,
        ruas: _Ruas,
        at_m: float,
        lateral_m: float,
        verb: str,
        years: Years,
        river: str,
    ) -> _Project:
        """A bridge project: a point ``lateral_m`` beside ``ruas`` at ``at_m``."""
        budget = self._budget(*_BRIDGE_BN[self._agency_of(key)[1]])
        point = _point_on(ruas.line, at_m, lateral_m)
        name = f"{verb} Jembatan {river}"
        return self._project(key, "bridge", name, verb, years, budget, point, None, ruas)

    def _irrigation(
        self,
        key: str,
        di: dict,
        block: Polygon,
        verb: str,
        years: Years,
        funding: str | None = None,
    ) -> _Project:
        """An irrigation project on ``block`` of Daerah Irigasi ``di``."""
        low, high = _IRRIGATION_MN_PER_HA[self._agency_of(key)[1]]
        budget = self._budget(low / 1000.0, high / 1000.0, block.area / 1e4)
        name = f"{verb} Jaringan Irigasi {di['nama']}"
        return self._project(key, "irrigation", name, verb, years, budget, block, funding)

    # ---- projects: placement -----------------------------------------------------------------

    def _clear_of_others(self, specs: Sequence[_Project]) -> bool:
        """Whether every spec keeps CLEARANCE_M from the projects placed so far and the gap unit.

        Roads and bridges are checked against both (a bridge on a road project is a cross-type
        finding); irrigation against irrigation.
        """
        for spec in specs:
            is_irrigation = spec.asset_type == "irrigation"
            others = [
                p.geometry for p in self.projects if (p.asset_type == "irrigation") == is_irrigation
            ]
            if others and shapely.distance(np.array(others), spec.geometry).min() <= CLEARANCE_M:
                return False
            if spec.geometry.distance(self.gap_unit) < 100.0:
                return False
        return True

    def _commit(self, specs: Sequence[_Project]) -> list[str]:
        ids = []
        for spec in specs:
            if "{seg}" in spec.name:
                assert spec.ruas is not None  # a name numbered by segment is a road's
                count = self._segments.get((spec.agency, spec.ruas.kode), 0) + 1
                self._segments[(spec.agency, spec.ruas.kode)] = count
                spec.name = spec.name.format(seg=count)
            spec.project_id = self._new_id(spec)
            self.projects.append(spec)
            ids.append(spec.project_id)
        return ids

    def _place(self, make: Callable[[], list[_Project] | None], tries: int = 40) -> list[str]:
        """Place the group of projects ``make`` builds, retrying until it is clear of the rest."""
        for _ in range(tries):
            specs = make()
            if specs is not None and self._clear_of_others(specs):
                return self._commit(specs)
        raise RuntimeError(f"seed {self.seed}: could not place {make.__name__}")

    def _kodes(self, status: str, unit: str | None = None) -> list[str]:
        return [
            kode
            for kode, ruas in self.ruas.items()
            if ruas.status == status and (unit is None or ruas.unit == unit)
        ]

    def _finding(
        self,
        key: str,
        kind: str,
        asset_type: str,
        ids: Sequence[str],
        reference: Sequence[str],
        **evidence: float,
    ) -> None:
        agency = {p.project_id: self._agency_of(p.agency)[0] for p in self.projects}
        self.findings.append(
            ExpectedFinding(
                key,
                kind,
                asset_type,
                tuple(ids),
                tuple(agency[i] for i in ids),
                reference=tuple(reference),
                note=FINDING_NOTES[key],
                **evidence,
            )
        )

    def _crossings(self, line: LineString) -> list[str]:
        """Codes of the ruas ``line`` meets."""
        return [kode for kode, ruas in self.ruas.items() if ruas.line.intersects(line)]

    def _place_findings(self) -> None:
        """Place every finding of the module docstring table, in a fixed order (fixed ids)."""
        rng, take, inside = self.rng, self.alloc.take, self.alloc.areas
        nasional, provinsi = self._kodes("nasional"), self._kodes("provinsi")
        at: dict[str, tuple] = {}

        def o1() -> list[_Project] | None:
            # BPJN Seg. 1 and Seg. 2 end to end; the province repeats 3 km of Seg. 2
            if (got := take(nasional, 13000.0, rng)) is None:
                return None
            at["o1"] = ruas, a, _ = got
            return [
                self._road("bpjn", ruas, a, a + 5000, "Preservasi", 2025),
                self._road("bpjn", ruas, a + 5000, a + 13000, "Preservasi", (2025, 2026)),
                self._bridge("bpjn", ruas, a + 6200, 1.5, "Penggantian", 2025, self._rivers.pop()),
                self._road("prov", ruas, a + 8000, a + 11000, "Rehabilitasi", 2025, reverse=True),
            ]

        seg1, seg2, bridge, prov = self._place(o1)
        kode = at["o1"][0].kode
        self._finding("O1", "overlap", "road", (seg2, prov), [kode], shared_m=3000.0)
        self._finding("T2", "trap", "road", (seg1, seg2), [kode], shared_m=0.0)
        self._finding("C1", "cross_type", "bridge", (bridge, seg2), [kode])
        self._finding("A1", "authority", "road", (prov,), [kode])

        def o5() -> list[_Project] | None:
            # the same bridge in BPJN's and the province's lists, 11 m along and 5 m across
            if (got := take(nasional, 300.0, rng)) is None:
                return None
            at["o5"] = ruas, a, _ = got
            river = self._rivers[-1]
            return [
                self._bridge("bpjn", ruas, a + 150, 2.0, "Penggantian", (2025, 2026), river),
                self._bridge("prov", ruas, a + 161, -3.0, "Rehabilitasi", 2025, river),
            ]

        pusat, prov = self._place(o5)
        self._rivers.pop()
        kode = at["o5"][0].kode
        apart = round(self.projects[-2].geometry.distance(self.projects[-1].geometry), 1)
        self._finding("O5", "overlap", "bridge", (pusat, prov), [kode], distance_m=apart)
        self._finding("A5", "authority", "bridge", (prov,), [kode])

        kab_a = KAB_NATIONAL_A

        def o3() -> list[_Project] | None:
            # the kabupaten (APBD) maintains 1.7 km of a national road, 1.2 km inside BPJN's
            if (got := take(nasional, 6500.0, rng, kab_a)) is None:
                return None
            at["o3"] = ruas, a, _ = got
            return [
                self._road("bpjn", ruas, a, a + 6000, "Preservasi", (2025, 2026)),
                self._road(
                    kab_a,
                    ruas,
                    a + 4800,
                    a + 6500,
                    "Pemeliharaan Berkala",
                    2025,
                    funding="APBD Kabupaten",
                ),
            ]

        pusat, kab = self._place(o3)
        kode = at["o3"][0].kode
        self._finding("O3", "overlap", "road", (pusat, kab), [kode], shared_m=1200.0)
        self._finding("A3", "authority", "road", (kab,), [kode])

        def x2() -> list[_Project] | None:
            # kabupaten work on a national road under Tugas Pembantuan: shown, not flagged
            if (got := take(nasional, 2000.0, rng, kab_a)) is None:
                return None
            at["x2"] = ruas, a, b = got
            return [
                self._road(
                    kab_a,
                    ruas,
                    a,
                    b,
                    "Rehabilitasi",
                    2024,
                    funding="Tugas Pembantuan",
                    suffix=" (Tugas Pembantuan)",
                )
            ]

        (kab,) = self._place(x2)
        self._finding("X2", "exception", "road", (kab,), [at["x2"][0].kode])

        kab_b = KAB_NATIONAL_B

        def t1() -> list[_Project] | None:
            # a new kabupaten road crossing a national road; both worked on in 2025
            if (got := take(nasional, 3000.0, rng, kab_b)) is None:
                return None
            ruas, a, b = got
            centre = np.array(ruas.line.interpolate((a + b) / 2).coords[0])
            across = 1800.0 * _normal_at(ruas.line, (a + b) / 2)
            line = _winding_line(centre - across, centre + across, rng, amplitude=0.15)
            if not line.within(inside[kab_b]) or self._crossings(line) != [ruas.kode]:
                return None
            ends = (self._villages.pop(), self._villages.pop())
            cross = _Ruas(line, "kabupaten", ends, unit=kab_b)
            at["t1"] = (ruas, cross)
            return [
                self._road("bpjn", ruas, a, b, "Preservasi", 2025),
                self._road(
                    kab_b, cross, 200.0, line.length - 200.0, "Peningkatan", 2025, funding="DAK"
                ),
            ]

        pusat, kab = self._place(t1)
        ruas, cross = at["t1"]
        self._add_ruas(cross)
        self.alloc.used[cross.kode] = [(0.0, cross.line.length)]
        self._finding("T1", "trap", "road", (pusat, kab), [ruas.kode, cross.kode], shared_m=40.0)

        def t3() -> list[_Project] | None:
            # the old alignment 80 m beside a national road; both worked on in 2025
            if (got := take(nasional, 3400.0, rng, kab_b)) is None:
                return None
            ruas, a, b = got
            side = 80.0 if rng.random() < 0.5 else -80.0
            line = _largest_line(shapely.offset_curve(substring(ruas.line, a - 300, b + 300), side))
            if line is None or not line.within(inside[kab_b]) or self._crossings(line):
                return None
            ends = (self._villages.pop(), self._villages.pop())
            old = _Ruas(line, "kabupaten", ends, unit=kab_b)
            at["t3"] = (ruas, old)
            return [
                self._road("bpjn", ruas, a, b, "Preservasi", (2025, 2026)),
                self._road(
                    kab_b,
                    old,
                    200.0,
                    line.length - 200.0,
                    "Rehabilitasi",
                    2025,
                    suffix=" (alinyemen lama)",
                ),
            ]

        pusat, kab = self._place(t3)
        ruas, old = at["t3"]
        self._add_ruas(old)
        self.alloc.used[old.kode] = [(0.0, old.line.length)]
        self._finding("T3", "trap", "road", (pusat, kab), [ruas.kode, old.kode], distance_m=80.0)

        kab_p = KAB_PROVINCIAL

        def o2() -> list[_Project] | None:
            # the kabupaten repeats 2 km of a provincial road the province improves
            if (got := take(provinsi, 6500.0, rng, kab_p)) is None:
                return None
            at["o2"] = ruas, a, _ = got
            return [
                self._road("prov", ruas, a, a + 6000, "Peningkatan", (2025, 2026)),
                self._road(
                    kab_p,
                    ruas,
                    a + 4000,
                    a + 6500,
                    "Pemeliharaan Berkala",
                    2026,
                    funding="APBD Kabupaten",
                ),
            ]

        prov, kab = self._place(o2)
        kode = at["o2"][0].kode
        self._finding("O2", "overlap", "road", (prov, kab), [kode], shared_m=2000.0)
        self._finding("A2", "authority", "road", (kab,), [kode])

        def t4() -> list[_Project] | None:
            # the same provincial stretch in 2024 and again in 2026: no common year
            if (got := take(provinsi, 3000.0, rng)) is None:
                return None
            at["t4"] = ruas, a, b = got
            return [
                self._road("prov", ruas, a, b, "Rehabilitasi", 2024),
                self._road("prov", ruas, a, b, "Pemeliharaan Berkala", 2026),
            ]

        first, again = self._place(t4)
        self._finding("T4", "trap", "road", (first, again), [at["t4"][0].kode], shared_m=3000.0)

        local = [k for k in self._kodes("kabupaten") if self.ruas[k].unit not in KAB_AGENCIES]

        def a4() -> list[_Project] | None:
            # the province improves a kabupaten road
            if (got := take(local, 2500.0, rng)) is None:
                return None
            at["a4"] = ruas, a, b = got
            return [self._road("prov", ruas, a, b, "Peningkatan", 2025)]

        (prov,) = self._place(a4)
        self._finding("A4", "authority", "road", (prov,), [at["a4"][0].kode])

        def x1() -> list[_Project] | None:
            # BPJN on a kabupaten road under Inpres Jalan Daerah: shown, not flagged
            if (got := take(local, 4000.0, rng)) is None:
                return None
            at["x1"] = ruas, a, b = got
            return [
                self._road("bpjn", ruas, a, b, "Penanganan", 2024, funding="IJD", suffix=" (IJD)")
            ]

        (pusat,) = self._place(x1)
        self._finding("X1", "exception", "road", (pusat,), [at["x1"][0].kode])

        kab_l = KAB_LARGE

        def o4() -> list[_Project] | None:
            # one agency lists 700 m of a kabupaten road in two packages
            if (got := take(self._kodes("kabupaten", kab_l), 4500.0, rng)) is None:
                return None
            at["o4"] = ruas, a, _ = got
            return [
                self._road(kab_l, ruas, a, a + 2500, "Pemeliharaan Berkala", 2024),
                self._road(kab_l, ruas, a + 1800, a + 4500, "Rehabilitasi", (2024, 2025)),
            ]

        first, second = self._place(o4)
        self._finding("O4", "overlap", "road", (first, second), [at["o4"][0].kode], shared_m=700.0)

        big = self.di["big"]

        def o6() -> list[_Project] | None:
            # BWS and the kabupaten in the same big DI, sharing 60-66 ha
            area = big["geometry"]
            centre = np.array(area.centroid.coords[0]) + rng.normal(0, 600.0, 2)
            bws = _largest_polygon(area.intersection(_blob(centre, 1200e4, rng)))
            heading = rng.uniform(0, 2 * np.pi)
            step = np.array([math.cos(heading), math.sin(heading)])
            small = _blob(centre, 200e4, rng)

            def kab_at(distance: float) -> shapely.Geometry:
                moved = shapely.transform(small, lambda xy: xy + distance * step)
                return _largest_polygon(area.intersection(moved))

            low, high = 0.0, 8000.0
            for _ in range(40):
                mid = (low + high) / 2
                low, high = (mid, high) if bws.intersection(kab_at(mid)).area > 62e4 else (low, mid)
            kab = kab_at(low)
            if not 60e4 <= bws.intersection(kab).area <= 66e4 or kab.area < 150e4:
                return None
            return [
                self._irrigation("bws", big, bws, "Rehabilitasi", 2025),
                self._irrigation(kab_l, big, kab, "Peningkatan", 2025, funding="DAK"),
            ]

        bws, kab = self._place(o6)
        self._finding("O6", "overlap", "irrigation", (bws, kab), [big["nama"]], shared_ha=60.0)
        self._finding("A6", "authority", "irrigation", (kab,), [big["nama"]])

        kanan, kiri = self.di["kanan"], self.di["kiri"]
        border = kanan["geometry"].boundary.intersection(kiri["geometry"].boundary)
        canal = _largest_line(shapely.line_merge(border))
        assert canal is not None  # the two D.I. are drawn sharing a canal

        def t5() -> list[_Project] | None:
            # the province in "Kanan", the kabupaten in "Kiri": a 2 m sliver along the canal
            where = canal.interpolate(rng.uniform(0.35, 0.65), normalized=True).coords[0]
            prov = kanan["geometry"].intersection(_blob(where, 500e4, rng)).buffer(2.0)
            kab = kiri["geometry"].intersection(_blob(where, 380e4, rng))
            return [
                self._irrigation("prov", kanan, _largest_polygon(prov), "Rehabilitasi", 2025),
                self._irrigation(kab_b, kiri, _largest_polygon(kab), "Pemeliharaan", 2025),
            ]

        prov, kab = self._place(t5)
        sliver = self.projects[-2].geometry.intersection(self.projects[-1].geometry).area / 1e4
        names = [kanan["nama"], kiri["nama"]]
        self._finding("T5", "trap", "irrigation", (prov, kab), names, shared_ha=round(sliver, 2))

    def _place_fillers(self) -> None:
        """Ordinary projects, each within its agency's kewenangan and clear of all others."""
        plan: list[tuple[str, str, list[str], str | None, int]] = [
            ("bpjn", "road", self._kodes("nasional"), None, 8),
            ("bpjn", "bridge", self._kodes("nasional"), None, 4),
            ("prov", "road", self._kodes("provinsi"), None, 8),
            ("prov", "bridge", self._kodes("provinsi"), None, 3),
        ]
        for kode in KAB_AGENCIES:
            plan.append((kode, "road", self._kodes("kabupaten", kode), kode, 4))
            plan.append((kode, "bridge", self._kodes("kabupaten", kode), kode, 2))
        for key, asset, kodes, within, count in plan:
            for _ in range(count):
                for _attempt in range(25):
                    if (spec := self._road_filler(key, asset, kodes, within)) is None:
                        break
                    if self._clear_of_others([spec]):
                        self._commit([spec])
                        break
        irrigation = [
            ("bws", "big", 1),
            ("bws", "pusat", 2),
            ("prov", "provinsi", 1),
            ("prov", "lintas", 1),
            (KAB_NATIONAL_A, "kab_a", 1),
            (KAB_PROVINCIAL, "kab_provincial", 1),
            (KAB_LARGE, "kab_large", 1),
        ]
        for key, di_key, count in irrigation:
            for _ in range(count):
                for _attempt in range(40):
                    spec = self._irrigation_filler(key, self.di[di_key])
                    if spec is not None and self._clear_of_others([spec]):
                        self._commit([spec])
                        break

    def _road_filler(
        self, key: str, asset: str, kodes: list[str], within: str | None
    ) -> _Project | None:
        """An ordinary road or bridge project of agency ``key`` on a free stretch of ``kodes``."""
        rng = self.rng
        level = self._agency_of(key)[1]
        if asset == "bridge":
            if (got := self.alloc.take(kodes, 300.0, rng, within)) is None:
                return None
            ruas, a, _ = got
            verbs = _BRIDGE_VERBS[level]
            verb = verbs[int(rng.integers(len(verbs)))]
            lateral = rng.uniform(-3.0, 3.0)
            return self._bridge(
                key, ruas, a + 150.0, lateral, verb, self._years(0.2), self._rivers.pop()
            )
        length_m = float(rng.uniform(*_ROAD_LENGTH_M[level]))
        if (got := self.alloc.take(kodes, length_m, rng, within)) is None:
            return None
        ruas, a, b = got
        verbs = _ROAD_VERBS[level]
        verb = verbs[int(rng.integers(len(verbs)))]
        return self._road(key, ruas, a, b, verb, self._years(0.5 if level == "pusat" else 0.2))

    def _irrigation_filler(self, key: str, di: dict) -> _Project | None:
        """An ordinary irrigation project of agency ``key``: 10-25% of Daerah Irigasi ``di``."""
        rng = self.rng
        area = di["geometry"]
        ha = di["luas_ha"] * rng.uniform(0.1, 0.25)
        inner = area.buffer(-math.sqrt(ha * 1e4 / math.pi) / 3)
        inner = area if inner.is_empty else inner
        minx, miny, maxx, maxy = inner.bounds
        for _ in range(50):
            xy = rng.uniform([minx, miny], [maxx, maxy])
            if inner.contains(Point(xy)):
                block = _largest_polygon(area.intersection(_blob(xy, ha * 1e4, rng)))
                verb = ("Rehabilitasi", "Peningkatan", "Pemeliharaan")[int(rng.integers(3))]
                return self._irrigation(key, di, block, verb, self._years(0.3))
        return None

    # ---- conditions, gaps and output ---------------------------------------------------------

    def _conditions_and_gaps(self) -> None:
        """Road conditions and widths; a few roads without any project made 'rusak berat'."""
        rng = self.rng
        widths = {"nasional": (6.0, 7.0), "provinsi": (5.5, 6.0), "kabupaten": (3.5, 4.0, 4.5, 5.0)}
        for ruas in self.ruas.values():
            ruas.kondisi = str(rng.choice(ROAD_CONDITIONS, p=[0.4, 0.3, 0.2, 0.1]))
            ruas.lebar_m = float(rng.choice(widths[ruas.status]))
        linear = np.array([p.geometry for p in self.projects if p.asset_type != "irrigation"])
        untouched = [
            kode
            for kode, ruas in self.ruas.items()
            if shapely.distance(linear, ruas.line).min() > 20.0
        ]
        in_gap = [kode for kode in untouched if self.ruas[kode].unit == KAB_GAP]
        elsewhere = [kode for kode in untouched if self.ruas[kode].unit != KAB_GAP]
        for kode in in_gap[:2] + [elsewhere[i] for i in rng.permutation(len(elsewhere))[:2]]:
            self.ruas[kode].kondisi = "rusak berat"
        broken = sorted(kode for kode in untouched if self.ruas[kode].kondisi == "rusak berat")
        self._finding("G1", "gap", "", (), [KAB_GAP])
        self._finding("G2", "gap", "road", (), broken)

    def _assemble(self) -> DemoRegion:
        rng = self.rng
        province = _to_geo({"kode": [PROVINCE_KODE], "nama": [PROVINCE_NAMA]}, [self.province])
        units = sorted(self.units, key=lambda u: u.kode)
        # people per km2: towns are dense, the countryside is not
        density = [
            rng.uniform(1500, 3500) if u.jenis == "kota" else rng.uniform(60, 220) for u in units
        ]
        people = [round(d * u.polygon.area / 1e6, -2) for d, u in zip(density, units, strict=True)]
        admin_units = _to_geo(
            {
                "kode": [u.kode for u in units],
                "nama": [u.nama for u in units],
                "jenis": [u.jenis for u in units],
                "ibu_kota": [u.ibu_kota for u in units],
                "penduduk": np.array(people, dtype="int64"),
            },
            [u.polygon for u in units],
        )
        ruas = list(self.ruas.values())
        roads = _to_geo(
            {
                "kode_ruas": [r.kode for r in ruas],
                "nama_ruas": [r.nama for r in ruas],
                "status": [r.status for r in ruas],
                "kondisi": [r.kondisi for r in ruas],
                "lebar_m": np.array([r.lebar_m for r in ruas], dtype="float64"),
                "kode_wilayah": [r.unit for r in ruas],
            },
            [r.line for r in ruas],
        )
        di = self.irrigation
        irrigation_areas = _to_geo(
            {
                "nama": [d["nama"] for d in di],
                "luas_ha": np.array([d["luas_ha"] for d in di], dtype="float64"),
                "lintas_kabupaten": np.array([d["lintas_kabupaten"] for d in di], dtype=bool),
                "kewenangan": [d["kewenangan"] for d in di],
            },
            [d["geometry"] for d in di],
        )
        uploads = []
        for key in ("bpjn", "bws", "prov", *KAB_AGENCIES):
            agency, level = self._agency_of(key)
            rows = [p for p in self.projects if p.agency == key]
            columns = {
                "project_id": [p.project_id for p in rows],
                "name": [p.name for p in rows],
                "level": [level] * len(rows),
                "agency": [agency] * len(rows),
                "asset_type": [p.asset_type for p in rows],
                "work_type": [p.work_type for p in rows],
                "year_start": np.array([p.years[0] for p in rows], dtype="int64"),
                "year_end": np.array([p.years[1] for p in rows], dtype="int64"),
                "budget_idr": np.array([p.budget_idr for p in rows], dtype="float64"),
                "funding_source": [p.funding_source for p in rows],
                "status": [p.status for p in rows],
            }
            projects = _to_geo({c: columns[c] for c in RECORD_COLUMNS}, [p.geometry for p in rows])
            slug = "_".join(agency.lower().replace(".", "").split())
            uploads.append(DemoUpload(f"demo_{slug}_2024-2026.gpkg", agency, level, projects))
        kinds = ("overlap", "cross_type", "trap", "authority", "exception", "gap")
        findings = sorted(self.findings, key=lambda f: (kinds.index(f.kind), f.key))
        return DemoRegion(
            province=province,
            admin_units=admin_units,
            roads=roads,
            irrigation_areas=irrigation_areas,
            uploads=tuple(uploads),
            expected_findings=tuple(findings),
            seed=self.seed,
        )


__all__ = [
    "DemoRegion",
    "DemoUpload",
    "ExpectedFinding",
    "format_findings_table",
    "kewenangan_irigasi",
    "make_demo_region",
]
