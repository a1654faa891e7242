"""The vocabularies of the reference layers (:mod:`geo.read.reference`): kinds and their
canonical columns, the column synonyms, the values of road status and condition and of Daerah
Irigasi authority, and the words OpenStreetMap and RBI/KUGI layers use."""

from __future__ import annotations

import re

#: Kinds of reference layer, the store's names for them, and their canonical columns.
KINDS = {
    "roads": ("road_id", "name", "status", "decree", "condition", "valid_from", "valid_to"),
    "irrigation_areas": (
        "di_id",
        "name",
        "area_ha",
        "crosses_kabupaten",
        "national_strategic",
        "authority",
    ),
    "admin_units": ("unit_id", "unit_name", "population", "unit_level"),
}
KIND_ALIASES = {
    "roads": "roads",
    "jalan": "roads",
    "irrigation": "irrigation_areas",
    "irigasi": "irrigation_areas",
    "irrigation_areas": "irrigation_areas",
    "di": "irrigation_areas",
    "units": "admin_units",
    "wilayah": "admin_units",
    "admin_units": "admin_units",
}
GEOMETRY_KIND = {"roads": "line", "irrigation_areas": "polygon", "admin_units": "polygon"}

SYNONYMS: dict[str, dict[str, tuple[str, ...]]] = {
    "roads": {
        "road_id": (
            "road_id",
            "kode_ruas",
            "kd_ruas",
            "no_ruas",
            "nomor_ruas",
            "link_id",
            "ruas_id",
            "kode",
            "id",  # also OpenStreetMap's "@id"
            "osm_id",
        ),
        # NAMRJL: the road name of an RBI (Rupabumi) road layer, KUGI attribute names.
        "name": ("name", "nama_ruas", "nm_ruas", "nama_jalan", "namrjl", "nama", "ruas", "namobj"),
        # AUTRJL: the road authority (autoritas jalan) of an RBI road layer.
        "status": (
            "status",
            "status_jalan",
            "status_ruas",
            "kewenangan",
            "kewenangan_jalan",
            "autrjl",
        ),
        "decree": (
            "decree",
            "sk",
            "no_sk",
            "nomor_sk",
            "sk_status",
            "sk_penetapan",
            "sk_ruas",
            "dasar_sk",
            "dasar_hukum",
        ),
        "condition": ("condition", "kondisi", "kondisi_jalan", "kondisi_ruas"),
        "valid_from": ("valid_from", "berlaku_mulai", "tahun_mulai", "sk_mulai", "mulai"),
        "valid_to": ("valid_to", "berlaku_sampai", "tahun_akhir", "sk_akhir", "sampai"),
    },
    "irrigation_areas": {
        "di_id": ("di_id", "kode_di", "kd_di", "kode", "id"),
        "name": ("name", "nama_di", "nm_di", "nama", "daerah_irigasi"),
        "area_ha": (
            "area_ha",
            "luas_ha",
            "luas",
            "luas_baku",
            "luas_baku_ha",
            "luas_di",
            "luas_cea",  # SISDA D.I. layers: the luas baku
        ),
        "crosses_kabupaten": (
            "crosses_kabupaten",
            "lintas_kabupaten",
            "lintas_kab",
            "lintas_kabkota",
        ),
        "national_strategic": (
            "national_strategic",
            "strategis_nasional",
            "di_strategis",
            "strategis",
        ),
        "authority": (
            "authority",
            "kewenangan",
            "kewenangan_di",
            "status_kewenangan",
            "wewenang",
            "pengelola",
        ),
    },
    # BPS/Kemendagri codes (kode_desa, kode_kec, kode_kab, kd_*) and the RBI administrative
    # layers' KUGI attributes: KDEPUM/KDCPUM/KDPKAB/KDPPUM (Kemendagri codes of the desa,
    # kecamatan, kabupaten, provinsi), KDEBPS/KDCBPS/KDBBPS/KDPBPS (BPS codes), WADMKD/WADMKC/
    # WADMKK/WADMPR (names). Of several code columns the one telling most features apart is
    # the unit's id (a kecamatan layer carries its kabupaten's code too), see _pick_distinct.
    "admin_units": {
        "unit_id": (
            "unit_id",
            "kode",
            "kode_wilayah",
            "kd_wilayah",
            "kode_desa",
            "kd_desa",
            "kdepum",
            "kdebps",
            "kode_kec",
            "kd_kec",
            "kdcpum",
            "kdcbps",
            "kode_kab",
            "kd_kab",
            "kode_kabkota",
            "kdpkab",
            "kdbbps",
            "kode_prov",
            "kd_prov",
            "kdppum",
            "kdpbps",
            "kode_bps",
            "kode_kemendagri",
            "kode_kel",
            "kd_kel",
            "id_desa",
            "id_kel",
            "id_kec",
            "id_kab",
            "id_kabkota",
            "id_prov",
            "id",  # a bare feature number: last, so a code telling as many apart wins
        ),
        "unit_name": (
            "unit_name",
            "nama",
            "nama_wilayah",
            "nm_wilayah",
            "nama_desa",
            "wadmkd",
            "nama_kec",
            "wadmkc",
            "nama_kab",
            "wadmkk",
            "nama_prov",
            "wadmpr",
            "namobj",
            "name",
            "desa",
            "kelurahan",
            "desa_kelurahan",
            "kecamatan",
            "kabupaten",
            "kabupaten_kota",
            "kab_kota",
            "provinsi",
        ),
        "population": (
            "population",
            "penduduk",
            "jumlah_penduduk",
            "jumlah_pen",  # jumlah_penduduk cut to 10 characters by a DBF
            "jml_penduduk",
            "jml_pendud",
            "jumlah_jiwa",
            "populasi",
        ),
        # The kind of unit: the reference boundaries' "level", the demo region's "jenis".
        "unit_level": (
            "unit_level",
            "level",
            "admin_level",
            "tingkat_wilayah",
            "jenis_wilayah",
            "tingkat",
            "jenis",
        ),
    },
}
REQUIRED = {"roads": ("status",), "irrigation_areas": (), "admin_units": ("unit_id",)}
#: Columns that identify or classify features: one blank in every feature is never used.
CODE_FIELDS = ("road_id", "status", "di_id", "unit_id")
#: Fields taken from the candidate column that tells most features apart.
DISTINCT_FIELDS = ("unit_id", "unit_name")
#: Optional columns kept when a layer has them: road class (RBI FGSRJL/KLSRJL/REMARK, an
#: OpenStreetMap ``highway`` tag) and surface (RBI MATRJL, OSM ``surface``).
EXTRAS: dict[str, dict[str, tuple[str, ...]]] = {
    "roads": {
        "road_class": (
            "road_class",
            "kelas_jalan",
            "klsrjl",
            "fungsi_jalan",
            "fgsrjl",
            "fungsi",
            "highway",
            "fclass",
            "remark",
        ),
        "surface": ("surface", "permukaan", "jenis_permukaan", "perkerasan", "matrjl"),
    },
}
#: Values an RBI (KUGI) attribute holds when it was never filled in.
KUGI_UNFILLED = frozenset({"0", "0.0"})
#: OpenStreetMap tags read as hints only: they say what a way is, not who is responsible.
OSM_HINT_TAGS = ("highway", "ref", "name", "layer", "bridge", "tunnel")

#: Statuses of roads outside the public network (jalan khusus): no level of government holds
#: them, so they are not part of the reference network.
NOT_PUBLIC = frozenset({"lainnya", "lain", "jalan lain", "jalan lainnya", "khusus", "jalan khusus"})
ROAD_CONDITION = {
    "baik": "baik",
    "b": "baik",
    "good": "baik",
    "sedang": "sedang",
    "s": "sedang",
    "fair": "sedang",
    "rusak ringan": "rusak ringan",
    "rr": "rusak ringan",
    "poor": "rusak ringan",
    "rusak berat": "rusak berat",
    "rb": "rusak berat",
    "bad": "rusak berat",
}
#: A Daerah Irigasi's own kewenangan, as layers write it.
DI_AUTHORITY = {
    "pusat": "pusat",
    "nasional": "pusat",
    "pemerintah pusat": "pusat",
    "kementerian": "pusat",
    "kementerian pupr": "pusat",
    "bbws": "pusat",
    "bws": "pusat",
    "central": "pusat",
    "national": "pusat",
    "provinsi": "provinsi",
    "prov": "provinsi",
    "propinsi": "provinsi",
    "pemerintah provinsi": "provinsi",
    "pemprov": "provinsi",
    "province": "provinsi",
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "kota": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "kab/kota": "kabupaten",
    "pemerintah kabupaten": "kabupaten",
    "pemerintah kota": "kabupaten",
    "pemerintah kabupaten/kota": "kabupaten",
    "pemkab": "kabupaten",
    "pemkot": "kabupaten",
    "district": "kabupaten",
    "city": "kabupaten",
}

#: Words of a yes/no column (crosses_kabupaten, national_strategic), lower case.
TRUE_WORDS = {"1", "true", "ya", "y", "yes", "t"}
FALSE_WORDS = {"0", "false", "tidak", "n", "no", "f", ""}

#: Kinds of administrative unit (Kemendagri's levels), as layers write them: a kota is a
#: kabupaten's peer (``kabupaten`` means kabupaten/kota), Papua's distrik a kecamatan.
UNIT_LEVELS = {
    "provinsi": "provinsi",
    "propinsi": "provinsi",
    "prov": "provinsi",
    "province": "provinsi",
    "kabupaten": "kabupaten",
    "kota": "kabupaten",
    "kab": "kabupaten",
    "kabupaten/kota": "kabupaten",
    "kabupaten kota": "kabupaten",
    "kab/kota": "kabupaten",
    "kab kota": "kabupaten",
    "kabkota": "kabupaten",
    "kota administrasi": "kabupaten",
    "regency": "kabupaten",
    "city": "kabupaten",
    "kecamatan": "kecamatan",
    "kec": "kecamatan",
    "distrik": "kecamatan",
    "subdistrict": "kecamatan",
    "desa": "desa",
    "kelurahan": "desa",
    "desa/kelurahan": "desa",
    "kel": "desa",
    "nagari": "desa",
    "gampong": "desa",
    "village": "desa",
}
#: The level of a Kemendagri kode by its shape (``15``, ``15.01``, ``15.01.01``,
#: ``15.01.01.2001``) or of an undotted Kemendagri/BPS code by its length.
CODE_LEVELS = (
    (re.compile(r"\d{2}"), "provinsi"),
    (re.compile(r"\d{2}\.\d{2}|\d{4}"), "kabupaten"),
    (re.compile(r"\d{2}\.\d{2}\.\d{2}|\d{6,7}"), "kecamatan"),
    (re.compile(r"\d{2}\.\d{2}\.\d{2}\.\d{4}|\d{10}"), "desa"),
)
