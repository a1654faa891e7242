"""``python -m geo matrix``: the rakor synchronisation matrix of the store, as an Excel workbook
(one sheet per kabupaten) or an A3 landscape PDF atlas (a strip map per ruas beside its rows).

Registered by :mod:`cli.commands`; nothing analytical lives here: the store's projects are
analysed (:func:`geo.analyse.run.analyse`), the matrix built (:func:`geo.analyse.matrix.
build_matrix`) and written by :mod:`layers.matrix_export` / :mod:`layers.matrix_atlas`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from geo.errors import GeoInputError

__all__ = ["add_matrix_parser", "cmd_matrix", "MATRIX_SUFFIXES"]

#: What ``--out`` may be.
MATRIX_SUFFIXES: tuple[str, ...] = (".xlsx", ".pdf")


def add_matrix_parser(commands) -> argparse.ArgumentParser:
    """The ``matrix`` command's options."""
    parser = commands.add_parser(
        "matrix",
        help="the rakor synchronisation matrix: per ruas and Daerah Irigasi each level's works "
        "by year, conflicts and the meeting's decisions (Excel or A3 PDF atlas)",
    )
    parser.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")
    parser.add_argument(
        "--kabupaten",
        action="append",
        default=[],
        help="only rows in this kabupaten/kota (unit name or kode); repeatable",
    )
    parser.add_argument(
        "--year", help="only works of this budget year or years, e.g. 2026 or 2025-2027"
    )
    parser.add_argument(
        "--level",
        dest="filter_levels",
        action="append",
        default=[],
        help="only rows where this level (pusat, provinsi, kabupaten) works; the other levels' "
        "works on them stay shown; repeatable",
    )
    parser.add_argument(
        "--asset",
        dest="filter_assets",
        action="append",
        default=[],
        help="only this asset type (jalan, irigasi); repeatable",
    )
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="language of the text")
    parser.add_argument(
        "--out", type=Path, required=True, help="matriks.xlsx (workbook) or matriks.pdf (atlas)"
    )
    return parser


def cmd_matrix(args: argparse.Namespace) -> int:
    """Build the matrix of the store and write ``--out``; print what it holds."""
    from geo.analyse.matrix import build_matrix
    from geo.analyse.run import ProjectFilter, analyse, road_network
    from geo.read.values import parse_years
    from geo.store import open_store

    if args.out.suffix.lower() not in MATRIX_SUFFIXES:
        raise GeoInputError(f"{args.out.name}: write to .xlsx or .pdf")
    years = None
    if args.year:
        try:
            years = parse_years(args.year)
        except ValueError as exc:
            raise GeoInputError(f"--year {args.year}: {exc}") from None
    filters = ProjectFilter(
        year_from=years[0] if years else None,
        year_to=years[1] if years else None,
        levels=tuple(args.filter_levels),
        asset_types=tuple(args.filter_assets),
        units=tuple(args.kabupaten),
    )
    settings = args.settings
    store = open_store(args.store)
    roads = store.load_reference("roads")
    areas = store.load_reference("irrigation_areas")
    units = store.load_reference("admin_units")
    analysis = analyse(
        store.load_projects(),
        settings=settings,
        units=units,
        roads=roads,
        irrigation_areas=areas,
        coverage=False,
    )
    matrix = build_matrix(
        analysis,
        network=road_network(roads),
        irrigation_areas=areas,
        filters=filters,
        decisions=store.load_decisions("matrix"),  # the meeting's, by row id
        settings=settings,
    )
    if args.out.suffix.lower() == ".xlsx":
        from layers.matrix_export import matrix_xlsx

        data = matrix_xlsx(matrix, filters=filters, lang=args.lang, zone=settings.time_zone)
    else:
        from layers.matrix_atlas import matrix_atlas_pdf

        data = matrix_atlas_pdf(matrix, filters=filters, lang=args.lang, zone=settings.time_zone)
    args.out.write_bytes(data)
    rows = matrix.rows
    units_n = rows["unit_name"].nunique()
    print(
        f"{len(rows)} rows ({int((rows['reference_kind'] == 'road').sum())} ruas stretches, "
        f"{int((rows['reference_kind'] != 'road').sum())} Daerah Irigasi) in {units_n} unit(s), "
        f"{int(rows['conflict'].sum())} with a conflict between levels -> {args.out} "
        f"({len(data) / 1e3:.0f} kB)"
    )
    for note in matrix.notes:
        print(f"  {note}")
    if roads is None or road_network(roads) is None:
        print(
            "  no road network in the store: no ruas rows (store one with: python -m geo "
            "reference roads FILE)"
        )
    return 0
