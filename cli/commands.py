"""The command line (DESIGN section 9): ``python -m geo COMMAND ...``.

Exit 0 on success; exit 2 with one ``FILE: reason`` line per problem on bad input, and never a
traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from cli.matrix import add_matrix_parser, cmd_matrix
from geo.errors import GeoInputError, NothingStored, PermissionDenied
from geo.read.projects import ReadResult, read_projects
from geo.schema import FIELD_SYNONYMS
from geo.settings import DEFAULT_SETTINGS, Settings, default_store_path

__all__ = [
    "build_parser",
    "EXIT_BAD_INPUT",
    "EXIT_BROKEN_PIPE",
    "FULL_REPORT_OF_FILES",
    "main",
    "parse_map_options",
    "upload_report_hint",
    "write_reports",
]

EXIT_BAD_INPUT = 2
#: 128 + SIGPIPE, as a shell reports a command whose reader went away.
EXIT_BROKEN_PIPE = 141


def build_parser(settings: Settings = DEFAULT_SETTINGS) -> argparse.ArgumentParser:
    """The argument parser for every command; ``settings`` give the options' defaults."""
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    imp = commands.add_parser("import", help="read project files into the store, print reports")
    imp.add_argument("files", nargs="+", metavar="FILE", type=Path)
    _reader_options(imp, report_out=False)
    imp.add_argument(
        "--replace",
        action="store_true",
        help="replace this agency's earlier upload of a file with the same name",
    )
    imp.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")
    _user_option(imp)

    over = _analysis_parser(
        commands,
        "overlaps",
        "find projects planned on the same stretch",
        "findings.csv, findings.gpkg or findings.geojson",
    )
    defaults = settings
    over.add_argument(
        "--tolerance-m",
        type=float,
        default=defaults.tolerance_m,
        help="roads within this distance are the same stretch (default %(default)s)",
    )
    over.add_argument(
        "--min-overlap-m",
        type=float,
        default=defaults.min_overlap_m,
        help="smallest shared road length reported (default %(default)s)",
    )
    over.add_argument(
        "--irrigation",
        type=Path,
        metavar="DI_FILE",
        help="Daerah Irigasi: irrigation works given as points are compared by the D.I. they "
        "lie in (default: the store's)",
    )
    over.add_argument(
        "--ledger",
        type=Path,
        metavar="LEDGER",
        help="also write the budget at stake totalled per kabupaten/kota, province, level pair, "
        "year and kind, each row with its finding ids and records (.csv or .xlsx)",
    )
    over.add_argument(
        "--units",
        type=Path,
        metavar="UNITS_FILE",
        help="kabupaten/kota polygons with kode, nama for --ledger (default: the store's)",
    )

    auth = _analysis_parser(
        commands, "authority", "projects outside their level's authority", "mismatches.csv"
    )
    auth.add_argument(
        "--irrigation",
        type=Path,
        metavar="DI_FILE",
        help="Daerah Irigasi polygons with area (default: the store's)",
    )

    locate = _analysis_parser(
        commands,
        "locate",
        "each road project on the road network as ruas and chainage (STA)",
        "located.csv",
    )
    locate.add_argument(
        "--max-offset-m",
        type=float,
        default=defaults.network_offset_m,
        help="farthest a drawn road may be shifted from the network road it follows, e.g. when "
        "drawn on another basemap; 10 m of digitising noise is allowed on top "
        "(default %(default)s)",
    )

    gap = _analysis_parser(
        commands, "gaps", "coverage per administrative unit and grid cell", "gaps.csv or gaps.gpkg"
    )
    gap.add_argument(
        "--units",
        type=Path,
        metavar="UNITS_FILE",
        help="kabupaten/kecamatan polygons with kode, nama (default: the store's)",
    )
    gap.add_argument("--years", help="projects whose years intersect, e.g. 2021-2025")
    gap.add_argument(
        "--hex-km",
        type=float,
        default=5.0,
        help="width of the hexagonal grid cells in km (default %(default)s)",
    )

    check = commands.add_parser(
        "check-proposals",
        help="place a proposal list (usulan) on the road network and suggest each row's status",
    )
    check.add_argument("file", type=Path, metavar="FILE", help="the proposal list, .xlsx or .csv")
    check.add_argument(
        "--roads",
        type=Path,
        metavar="NETWORK",
        help="road network with kode/nama ruas and status (default: the store's)",
    )
    check.add_argument(
        "--units",
        type=Path,
        metavar="UNITS",
        help="desa/kecamatan polygons for rows naming no ruas (default: the store's)",
    )
    check.add_argument(
        "--irrigation",
        type=Path,
        metavar="AREAS",
        help="Daerah Irigasi polygons with nama D.I. for rows naming a D.I. (default: the store's)",
    )
    check.add_argument(
        "--level",
        help="level proposing every row (pusat, provinsi, kabupaten, desa) when the list has "
        "no usulan dari / kewenangan column naming it",
    )
    check.add_argument("--out", type=Path, required=True, help="hasil.xlsx or hasil.csv")
    check.add_argument(
        "--store",
        type=Path,
        help="GeoPackage store whose projects the list is checked against (default $PETA_STORE)",
    )

    ref = commands.add_parser(
        "reference", help="store a reference layer: road network, Daerah Irigasi or units"
    )
    ref.add_argument("kind", help="roads (jalan), irrigation (irigasi) or units (wilayah)")
    ref.add_argument("file", type=Path, metavar="FILE")
    ref.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help="use COLUMN for FIELD (road_id, name, status, condition, ...)",
    )
    ref.add_argument("--crs", help="CRS of a file that declares none, e.g. 32748")
    _report_out_option(ref)
    ref.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")
    _user_option(ref)

    add_matrix_parser(commands)

    demo = commands.add_parser("demo", help="(re)build the illustrative demo store")
    demo.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")

    uploads = commands.add_parser(
        "uploads", help="list the uploads in the store, or read one upload's import report"
    )
    uploads.add_argument(
        "--report",
        type=int,
        metavar="UPLOAD",
        help="the whole import report of upload UPLOAD (every note and record)",
    )
    uploads.add_argument(
        "--out", type=Path, help="with --report: write the report to this CSV file"
    )
    uploads.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")

    delete = commands.add_parser("delete", help="delete an upload and its records")
    delete.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    delete.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")
    _user_option(delete)

    audit = commands.add_parser("audit", help="the audit trail: imports, replaces, deletes")
    audit.add_argument("--out", type=Path, help="write it to a CSV file")
    audit.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")

    users = commands.add_parser("users", help="local accounts (for intranets without sign-in)")
    user_commands = users.add_subparsers(dest="users_command", required=True, metavar="ACTION")
    add = user_commands.add_parser("add", help="add or replace an account")
    add.add_argument("name")
    add.add_argument("--role", required=True, choices=["viewer", "editor", "admin"])
    add.add_argument("--agency", help="the agency an editor works for, exactly as in its files")
    listing = user_commands.add_parser("list", help="list the accounts")
    for accounts_command in (add, listing):
        accounts_command.add_argument("--users-file", type=Path, help=_USERS_FILE_HELP)
        accounts_command.add_argument(
            "--store", type=Path, help="the store whose accounts these are (default $PETA_STORE)"
        )

    export_map = _export_parser(
        commands, "export-map", "static map for a slide (PNG) or print (PDF)", "map.png or map.pdf"
    )
    export_map.add_argument(
        "--size",
        help="WIDTHxHEIGHT pixels for PNG (default 1920x1080), a4 or a3 landscape for PDF "
        "(default a4)",
    )
    export_report = _export_parser(
        commands,
        "export-report",
        "meeting pack and reports of the findings",
        "report.xlsx, findings.gpkg, findings.geojson, pack.pdf (meeting pack) or "
        "projects.json (OC4IDS)",
    )
    export_report.add_argument(
        "--size", default="a4", help="page of the meeting pack: a4 or a3 (default %(default)s)"
    )
    return parser


def _export_parser(commands, name: str, help_text: str, out_help: str):
    """An export command: FILEs (read as uploads are) or the store, filtered, to ``--out``.

    ``--level`` and ``--asset`` select projects here; the level and asset type of every record
    of a FILE are ``--file-level`` and ``--file-asset``.
    """
    parser = _files_parser(commands, name, help_text)
    _reader_options(parser, export=True)
    parser.add_argument("--out", type=Path, required=True, help=out_help)
    parser.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")
    parser.add_argument("--title", help="title of the map or meeting pack")
    parser.add_argument(
        "--basemap",
        metavar="TILE_URL",
        help="XYZ tiles under the maps when reachable, e.g. "
        "https://tile.openstreetmap.org/{z}/{x}/{y}.png (default: none; boundaries only)",
    )
    parser.add_argument(
        "--basemap-attribution",
        default="© OpenStreetMap contributors",
        help="credit printed on maps with --basemap (default %(default)s)",
    )
    parser.add_argument("--lang", choices=("id", "en"), default="id", help="language of the text")
    parser.add_argument("--year-from", type=int, help="projects whose years reach this year")
    parser.add_argument("--year-to", type=int, help="projects whose years start by this year")
    parser.add_argument(
        "--level",
        dest="filter_levels",
        action="append",
        default=[],
        help="only this level (pusat, provinsi, kabupaten, desa); repeatable",
    )
    parser.add_argument(
        "--asset",
        dest="filter_assets",
        action="append",
        default=[],
        help="only this asset type (jalan, jembatan, irigasi); repeatable",
    )
    parser.add_argument(
        "--kabupaten",
        action="append",
        default=[],
        help="only projects in this kabupaten/kota (unit name or kode); repeatable",
    )
    return parser


_USERS_FILE_HELP = "accounts file (default $PETA_USERS, else users.json beside the store)"


def _user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        help="act as this local account (password from $PETA_PASSWORD or asked); an editor "
        "changes only their agency's uploads. Without it: the machine's operator",
    )
    parser.add_argument("--users-file", type=Path, help=_USERS_FILE_HELP)


def _users_path(args: argparse.Namespace) -> Path:
    """``--users-file``, else the accounts file that goes with the store (``--store``)."""
    from geo.settings import default_users_path

    store = getattr(args, "store", None)
    return args.users_file or default_users_path(str(store) if store else None)


def _password(prompt: str, what: str) -> str:
    """``$PETA_PASSWORD``, else asked on the terminal; with neither, a clear refusal."""
    import getpass

    password = os.environ.get("PETA_PASSWORD")
    if password:
        return password
    if not sys.stdin.isatty():
        raise PermissionDenied(
            f"{what}: no password: set PETA_PASSWORD, or run the command in a terminal to be "
            "asked for it"
        )
    return getpass.getpass(prompt)


def _actor(args: argparse.Namespace):
    """The signed-in local account of ``--user``, or None (the machine's operator)."""
    from geo.auth import SignInLocked, sign_in
    from geo.store import open_store

    if not args.user:
        return None
    password = _password(f"password for {args.user}: ", f"--user {args.user}")
    try:
        actor = sign_in(args.user, password, path=_users_path(args))
    except SignInLocked:
        open_store(args.store).audit_sign_in(args.user, "sign_in_locked", client="cli")
        raise
    if actor is None:
        open_store(args.store).audit_sign_in(args.user, "sign_in_failed", client="cli")
        raise PermissionDenied(f"--user {args.user}: unknown user or wrong password")
    return actor


def _files_parser(commands, name: str, help_text: str) -> argparse.ArgumentParser:
    """A command taking project FILEs (read as uploads are), or the store without them."""
    parser = commands.add_parser(name, help=help_text)
    parser.add_argument(
        "files",
        nargs="*",
        metavar="FILE",
        type=Path,
        help="project files (read as uploads are); default: the store",
    )
    return parser


def _analysis_parser(commands, name: str, help_text: str, out_help: str):
    """A command that analyses FILEs (read as uploads are) or the store, writing ``--out``."""
    parser = _files_parser(commands, name, help_text)
    _reader_options(parser)
    parser.add_argument("--out", type=Path, required=True, help=out_help)
    parser.add_argument("--store", type=Path, help="GeoPackage store (default $PETA_STORE)")
    return parser


def _reader_options(
    parser: argparse.ArgumentParser, *, export: bool = False, report_out: bool = True
) -> None:
    """Options every command that reads project files shares with ``import``.

    Export commands filter with ``--level`` / ``--asset``: theirs are ``--file-level`` and
    ``--file-asset``.
    """
    prefix = "--file-" if export else "--"
    parser.add_argument(
        f"{prefix}level",
        dest="level",
        help="level of every record: pusat, provinsi, kabupaten, desa",
    )
    parser.add_argument("--agency", help='agency of every record, e.g. "BPJN Jambi"')
    parser.add_argument(
        f"{prefix}asset", dest="asset", help="asset type of every record: jalan, jembatan, irigasi"
    )
    parser.add_argument(
        "--map",
        action="append",
        default=[],
        metavar="FIELD=COLUMN",
        help=f"use COLUMN for FIELD ({', '.join(FIELD_SYNONYMS)}); repeatable",
    )
    parser.add_argument("--crs", help="CRS of files that declare none (or a wrong one), e.g. 32748")
    parser.add_argument(
        "--roads",
        type=Path,
        metavar="NETWORK",
        help="road network file: start/end points are placed along it, ruas + STA cut from it "
        "(default: the network in the store, if any)",
    )
    if report_out:  # an import keeps its report in the store
        _report_out_option(parser)


def _report_out_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--report-out",
        type=Path,
        metavar="CSV",
        help="write every line of the import report of the FILE(s) to this CSV file",
    )


#: Where the whole report of a FILE that is read but not stored can be had.
FULL_REPORT_OF_FILES = "pass --report-out report.csv to write every line"


#: Import reports of the FILEs the running command read (written by ``--report-out``).
_READ_REPORTS: list = []


def upload_report_hint(upload_id: int) -> str:
    """Where the whole import report of a stored upload is read: the command and the page."""
    return (
        f"python -m geo uploads --report {upload_id} --out report.csv, or the Data page of the app"
    )


def write_reports(reports: Sequence, path: Path | None) -> None:
    """Write every line of ``reports`` (import reports) to the CSV ``path``, when given."""
    if path is None:
        return
    import pandas as pd

    from geo.export.report import neutralise_formulas

    frames = [r.lines_frame().assign(source_file=r.source_file) for r in reports]
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    columns = ["source_file", *[c for c in frame.columns if c != "source_file"]]
    neutralise_formulas(frame[columns] if len(frame.columns) else frame).to_csv(
        path, index=False, encoding="utf-8"
    )
    print(f"{len(frame)} report lines -> {path}")


def parse_map_options(items: Sequence[str]) -> dict[str, str]:
    """Turn ``["name=NM_PAKET", ...]`` into a dict, or raise GeoInputError naming the item."""
    mapping = {}
    for item in items:
        field, sep, column = item.partition("=")
        if not sep or not field.strip() or not column.strip():
            raise GeoInputError(f"--map {item}: write FIELD=COLUMN, e.g. --map name=NM_PAKET")
        mapping[field.strip()] = column.strip()
    return mapping


#: Road network files read by this command, by path.
_NETWORKS: dict[Path, object] = {}


def _network(args: argparse.Namespace, store_path: Path | None):
    """The road network: ``--roads FILE``, else the store's reference network, else None."""
    from geo.read.reference import read_reference

    if args.roads:
        if args.roads not in _NETWORKS:  # read (and reported) once per command
            # Locating and overlaps need no status (an OpenStreetMap extract has none).
            result = read_reference(
                args.roads, "roads", settings=args.settings, status_optional=True
            )
            print(result.report.format_text(max_lines=0, full_report=FULL_REPORT_OF_FILES))
            _READ_REPORTS.append(result.report)
            _NETWORKS[args.roads] = result.layer
        return _NETWORKS[args.roads]
    path = store_path or default_store_path()
    if Path(path).exists():
        from geo.store import open_store

        return open_store(path).load_reference("roads")
    return None


def _read_all(
    args: argparse.Namespace, settings: Settings, roads=None, irrigation_areas=None
) -> list[ReadResult]:
    """Read every FILE with the reader options; raise every file's problems at once."""
    mapping = parse_map_options(args.map)
    results: list[ReadResult] = []
    problems: list[str] = []
    for path in args.files:
        try:
            results.append(
                read_projects(
                    path,
                    level=args.level,
                    agency=args.agency,
                    asset_type=args.asset,
                    mapping=mapping,
                    crs=args.crs,
                    settings=settings,
                    roads=roads,
                    irrigation_areas=irrigation_areas,
                )
            )
        except GeoInputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise GeoInputError(*problems)
    return results


def _cmd_import(args: argparse.Namespace) -> int:
    from geo.store import open_store

    actor = _actor(args)
    areas = _reference("irrigation_areas", None, args.store, args.settings)
    results = _read_all(args, args.settings, _network(args, args.store), areas)
    store = open_store(args.store)
    exit_code = 0
    for result in results:
        try:
            outcome = store.import_result(result, replace=args.replace, actor=actor)
        except NothingStored as nothing:
            print(result.report.format_text(full_report=FULL_REPORT_OF_FILES))
            print("\n".join(nothing.problems), file=sys.stderr)
            exit_code = EXIT_BAD_INPUT
            continue
        print(outcome.report.format_text(full_report=upload_report_hint(outcome.upload_id)))
        if outcome.already_imported:
            print(
                f"  already imported as upload {outcome.upload_id}: nothing changed (the same "
                "file with the same options; use --replace to import it again)"
            )
        else:
            if outcome.options_changed:
                print(
                    f"  the same file was imported before as upload(s) "
                    f"{', '.join(map(str, outcome.replaced))} with other options (--map, "
                    "--level, --agency, --asset, --crs): this import replaces it"
                )
            replaced = (
                f", replacing upload(s) {', '.join(map(str, outcome.replaced))}"
                if (outcome.replaced)
                else ""
            )
            print(f"  saved as upload {outcome.upload_id} in {store.describe()}{replaced}")
            rejected = outcome.report.counts["rejected"]
            if rejected:
                print(
                    f"  {rejected} of {outcome.report.counts['read']} records rejected, each "
                    f"with its reason: {upload_report_hint(outcome.upload_id)}"
                )
    return exit_code


def _projects(
    args: argparse.Namespace,
    settings: Settings,
    reports: list | None = None,
    columns: tuple[str, ...] | None = None,
):
    """Projects to analyse: FILEs read as uploads are (plus the store with --store), or the
    store's (only ``columns`` of it when given). Returns the projects (EPSG:4326) and the
    store when only the store was used; the FILEs' import reports are appended to ``reports``
    when it is given."""
    import geopandas as gpd
    import pandas as pd

    from geo.store import open_store

    if not args.files:
        store = open_store(args.store)
        return store.load_projects(columns=columns), store
    network = _network(args, args.store) if (args.roads or args.store) else None
    results = _read_all(args, settings, network)
    for result in results:
        print(result.report.format_text(max_lines=0, full_report=FULL_REPORT_OF_FILES))
        _READ_REPORTS.append(result.report)
    if reports is not None:
        reports.extend(r.report for r in results)
    frames = [r.projects for r in results]
    if args.store:
        frames.append(open_store(args.store).load_projects(columns=columns))
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs=4326), None


def _reference(kind: str, path: Path | None, store_path: Path | None, settings: Settings):
    """A reference layer from its file, else from the store (None when neither has one)."""
    from geo.read.reference import read_reference

    if path:
        result = read_reference(path, kind, settings=settings)
        print(result.report.format_text(max_lines=0, full_report=FULL_REPORT_OF_FILES))
        _READ_REPORTS.append(result.report)
        return result.layer
    store_file = store_path or default_store_path()
    if Path(store_file).exists():
        from geo.store import open_store

        return open_store(store_file).load_reference(kind)
    return None


def _check_out(path: Path, allowed: tuple[str, ...]) -> None:
    if path.suffix.lower() not in allowed:
        options = " or ".join(
            [", ".join(allowed[:-1]), allowed[-1]] if len(allowed) > 1 else allowed
        )
        raise GeoInputError(f"{path.name}: write to {options}")


def _cmd_overlaps(args: argparse.Namespace) -> int:
    import dataclasses

    from geo.analyse.overlap import find_overlaps
    from geo.analyse.run import road_network
    from geo.export.report import write_findings

    _check_out(args.out, (".csv", ".gpkg", ".geojson"))
    if args.ledger is not None:
        _check_out(args.ledger, (".csv", ".xlsx"))
    settings = dataclasses.replace(
        args.settings, tolerance_m=args.tolerance_m, min_overlap_m=args.min_overlap_m
    )
    projects, store = _projects(args, settings)
    areas = _reference("irrigation_areas", args.irrigation, args.store, args.settings)
    # With a road network (--roads, or the store's as the app uses it), road works located on
    # it overlap by the chainage they share.
    roads = _network(args, args.store) if (args.roads or store is not None) else None
    findings = find_overlaps(
        projects, settings=settings, irrigation_areas=areas, network=road_network(roads)
    )
    write_findings(findings, args.out)
    if store is not None:
        store.replace_findings(findings)
    counts = findings.groupby(["asset_type", "severity"]).size()
    print(f"{len(findings)} findings among {len(projects)} projects -> {args.out}")
    for (asset, severity), n in counts.items():
        print(f"  {asset}: {n} {severity}")
    repeats = int((findings["kind"] == "repeat").sum()) if len(findings) else 0
    if repeats:
        print(f"  of which {repeats} repeat funding (pendanaan berulang: kind repeat)")
    if args.ledger is not None:
        _write_ledger(findings, args)
    return 0


def _write_ledger(findings, args: argparse.Namespace) -> None:
    """``--ledger``: the budget at stake of ``findings`` totalled, to CSV or a one-sheet XLSX."""
    from geo.analyse.ledger import budget_ledger
    from geo.export.report import write_csv
    from geo.export.workbook import SHEETS, write_sheet

    units = _reference("admin_units", args.units, args.store, args.settings)
    ledger = budget_ledger(findings, units=units)
    if args.ledger.suffix.lower() == ".csv":
        write_csv(ledger, args.ledger)
    else:
        write_sheet(ledger, args.ledger, sheet_name=SHEETS["ledger"])
    total = ledger.iloc[0]
    print(
        f"budget at stake: Rp {total['at_stake_idr']:,.0f} in {total['findings']} findings, "
        f"{total['shared_km']:,.2f} km shared -> {args.ledger}"
    )


def _cmd_authority(args: argparse.Namespace) -> int:
    from geo.analyse.authority import find_mismatches
    from geo.analyse.overlap import locate_road_projects
    from geo.analyse.run import road_network
    from geo.export.report import write_csv

    _check_out(args.out, (".csv",))
    settings = args.settings
    roads = _reference("roads", args.roads, args.store, args.settings)
    areas = _reference("irrigation_areas", args.irrigation, args.store, args.settings)
    if roads is None and areas is None:
        raise GeoInputError(
            "authority: no reference layer; pass --roads NETWORK and/or --irrigation DI_FILE "
            "(or store them with: python -m geo reference roads FILE)"
        )
    projects, _ = _projects(args, settings)
    # As the app judges: a road work located on the network by the roads along its located
    # stretches (a service road beside an arterial is judged by its own status), not by any
    # road within the tolerance of its drawn line.
    network = road_network(roads)
    located = (
        None if network is None else locate_road_projects(projects, network, settings=settings)
    )
    mismatches = find_mismatches(
        projects,
        roads=roads,
        irrigation_areas=areas,
        settings=settings,
        located=located,
        network=network,
    )
    write_csv(mismatches, args.out)
    counts = mismatches["verdict"].value_counts() if len(mismatches) else {}
    print(
        f"{counts.get('mismatch', 0)} mismatches, {counts.get('exception', 0)} exceptions "
        f"among {len(projects)} projects -> {args.out}"
    )
    return 0


def _cmd_locate(args: argparse.Namespace) -> int:
    import dataclasses

    from geo.analyse.locations import as_counted, locate_road_projects
    from geo.export.report import write_csv
    from geo.spatial.network import RoadNetwork

    _check_out(args.out, (".csv",))
    if args.max_offset_m <= 0:
        raise GeoInputError(f"--max-offset-m {args.max_offset_m}: give a distance above 0 m")
    settings = args.settings
    roads = _network(args, args.store)
    if roads is None or roads.empty:
        raise GeoInputError(
            "locate: no road network; pass --roads NETWORK (or store one with: python -m geo "
            "reference roads FILE)"
        )
    projects, _ = _projects(args, settings)
    on_roads = projects[projects["asset_type"] == "road"].reset_index(drop=True)
    network = RoadNetwork(roads)
    located = locate_road_projects(
        on_roads,
        network,
        settings=dataclasses.replace(settings, network_offset_m=args.max_offset_m),
    )
    located = as_counted(located, network, from_end=settings.chainage_from_end)
    located.pop("line")
    lines = located.pop("work").to_numpy()
    located.insert(0, "agency", on_roads["agency"].to_numpy()[lines])
    located.insert(0, "project_id", on_roads["project_id"].to_numpy()[lines])
    digits = {"from_m": 1, "to_m": 1, "offset_mean_m": 1, "offset_max_m": 1, "shift_m": 1}
    located = located.round(digits | {"matched_share": 3})
    write_csv(located.drop(columns=["ruas"]), args.out)
    matched = located.groupby(lines)["matched_share"].first()
    print(
        f"{int((matched >= 0.9).sum())} of {len(on_roads)} road projects located on the network "
        f"(at least 90% of their length), {int(((matched > 0) & (matched < 0.9)).sum())} in "
        f"part, {int((matched == 0).sum())} not at all -> {args.out}"
    )
    return 0


def _cmd_check_proposals(args: argparse.Namespace) -> int:
    from geo.analyse.proposals import check_proposals
    from geo.analyse.run import road_network
    from geo.export.report import write_csv
    from geo.export.workbook import write_sheet
    from geo.read.proposals import read_proposals

    _check_out(args.out, (".xlsx", ".csv"))
    settings = args.settings
    proposals = read_proposals(args.file, level=args.level, settings=settings)
    for line in proposals.notes:
        print(line)
    roads = _network(args, args.store)
    units = _reference("admin_units", args.units, args.store, settings)
    irrigation = _reference("irrigation_areas", args.irrigation, args.store, settings)
    store_file = args.store or default_store_path()
    projects = None
    if Path(store_file).exists():
        from geo.store import open_store

        projects = open_store(store_file).load_projects()
    checked = check_proposals(
        proposals,
        network=road_network(roads),
        units=units,
        projects=projects,
        irrigation_areas=irrigation,
        settings=settings,
    )
    table = checked.drop(columns=checked.geometry.name)
    if args.out.suffix.lower() == ".xlsx":
        write_sheet(table, args.out, sheet_name="Cek Usulan")
    else:
        write_csv(table, args.out)
    placed = checked["placement"].value_counts()
    status = checked["suggested_status"].value_counts()
    print(
        f"{len(checked)} proposal rows -> {args.out}: placed by STA {placed.get('sta', 0)}, "
        f"whole ruas {placed.get('ruas', 0)}, D.I. {placed.get('di', 0)}, unit "
        f"{placed.get('unit', 0)}, not placed "
        f"{placed.get('none', 0)}; Diterima {status.get('Diterima', 0)}, Ditolak "
        f"{status.get('Ditolak', 0)}, Didiskusikan {status.get('Didiskusikan', 0)}"
    )
    if roads is None:
        print("  no road network (--roads, or one in the store): no row placed on a ruas")
    if projects is None:
        print("  no store: checked against the other rows of the list only")
    return 0


def _cmd_gaps(args: argparse.Namespace) -> int:
    import geopandas as gpd

    from geo.analyse import gaps
    from geo.export.report import write_csv
    from geo.read.values import parse_years

    _check_out(args.out, (".csv", ".gpkg"))
    try:
        years = parse_years(args.years) if args.years else None
    except ValueError as exc:
        raise GeoInputError(f"--years {args.years}: {exc}") from None
    units = _reference("admin_units", args.units, args.store, args.settings)
    if units is None:
        raise GeoInputError("gaps: no units; pass --units UNITS_FILE (kode, nama, polygons)")
    roads = _reference("roads", args.roads, args.store, args.settings)
    settings = args.settings
    projects, _ = _projects(
        args, settings, columns=(*gaps.PROJECT_COLUMNS_USED, *gaps.LOCATING_COLUMNS)
    )
    # Road works are located on the network once, for every table: coverage is measured on
    # the chainage they are located on (geo.analyse.gaps.coverage_by_unit).
    on_network: dict = {}
    if roads is not None:
        from geo.analyse.locations import locate_road_projects
        from geo.analyse.run import road_network

        network = road_network(roads)
        if network is not None:
            located = locate_road_projects(projects, network, settings=settings)
            on_network = {"located": located, "network": network}
    table = gaps.coverage_by_unit(
        projects, units, roads=roads, years=years, settings=settings, **on_network
    )
    if args.out.suffix.lower() == ".csv":
        write_csv(table, args.out)
    else:
        args.out.unlink(missing_ok=True)
        by_unit = units[["unit_id", "geometry"]].merge(table, on="unit_id")
        import pyogrio

        from geo.store.gpkg_compat import GPKG_DATASET_OPTIONS

        pyogrio.write_dataframe(
            gpd.GeoDataFrame(by_unit, crs=units.crs),
            args.out,
            layer="units",
            driver="GPKG",
            promote_to_multi=True,
            dataset_options=GPKG_DATASET_OPTIONS,
        )
        if roads is not None:
            segments = gaps.uncovered_segments(
                projects, roads, units=units, years=years, settings=settings, **on_network
            )
            segments.to_file(args.out, layer="uncovered_segments", driver="GPKG")
        cells = gaps.hex_grid_coverage(
            projects,
            units,
            roads=roads,
            years=years,
            cell_km=args.hex_km,
            settings=settings,
            **on_network,
        )
        cells.to_file(args.out, layer="cells", driver="GPKG")
    print(f"{len(table)} units, {len(projects)} projects -> {args.out}")
    return 0


def _cmd_reference(args: argparse.Namespace) -> int:
    from geo.read.reference import canonical_kind, read_reference
    from geo.store import open_store

    kind = canonical_kind(args.kind)
    actor = _actor(args)
    result = read_reference(
        args.file, kind, mapping=parse_map_options(args.map), crs=args.crs, settings=args.settings
    )
    _READ_REPORTS.append(result.report)
    store = open_store(args.store)
    print(result.report.format_text(full_report=FULL_REPORT_OF_FILES))
    store.replace_reference(kind, result.layer, actor=actor)  # an empty layer changes nothing
    print(
        f"  stored as the {kind} reference layer in {store.describe()} ({len(result.layer)} features)"
    )
    return 0


def _cmd_demo(args: argparse.Namespace) -> int:
    from geo.demo.build import build_demo

    path = build_demo(args.store or default_store_path())
    print(f"demo store (illustrative data, not official) built at {path}")
    return 0


def _cmd_uploads(args: argparse.Namespace) -> int:
    from geo.store import open_store

    store = open_store(args.store)
    if args.report is not None:
        report = store.upload_report(args.report)
        if args.out:
            write_reports([report], args.out)
        else:
            print(report.format_text(max_lines=None))
        return 0
    if args.out:
        raise GeoInputError("--out: give the upload too, e.g. --report 3 --out report.csv")
    uploads = store.list_uploads()
    print(uploads.drop(columns="sha256").to_string(index=False) if len(uploads) else "no uploads")
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    from geo.store import open_store

    store = open_store(args.store)
    n = store.delete_upload(args.upload_id, actor=_actor(args))
    print(f"upload {args.upload_id} deleted ({n} records) from {store.describe()}")
    return 0


def _cmd_audit(args: argparse.Namespace) -> int:
    from geo.export.report import write_csv
    from geo.store import open_store

    log = open_store(args.store).audit_log()
    if args.out:
        write_csv(log, args.out)
        print(f"{len(log)} audit entries written to {args.out}")
    else:
        print(log.drop(columns="sha256").to_string(index=False) if len(log) else "no entries")
    return 0


def _cmd_users(args: argparse.Namespace) -> int:

    from geo.auth import add_user, load_accounts

    path = _users_path(args)
    if args.users_command == "list":
        for account in load_accounts(path).values():
            print(f"{account['name']}\t{account['role']}\t{account.get('agency') or ''}")
        return 0
    password = _password(f"new password for {args.name}: ", f"users add {args.name}")
    try:
        actor = add_user(args.name, password, args.role, args.agency, path=path)
    except ValueError as err:
        if isinstance(err, GeoInputError):
            raise
        raise GeoInputError(f"user {args.name}: {err}") from None
    print(f"{actor.label} saved in {path}")


def _export_analyses(args: argparse.Namespace):
    """The filtered projects of the FILEs or the store, and everything found about them."""
    import dataclasses

    from geo.analyse import ProjectFilter, analyse, analyse_store

    filters = ProjectFilter(
        year_from=args.year_from,
        year_to=args.year_to,
        levels=tuple(args.filter_levels),
        asset_types=tuple(args.filter_assets),
        units=tuple(args.kabupaten),
    )
    settings = args.settings
    reports: list = []
    projects, store = _projects(args, settings, reports)
    if store is not None:
        return analyse_store(store, settings=settings, filters=filters)
    analyses = analyse(
        projects,
        settings=settings,
        filters=filters,
        units=_reference("admin_units", None, args.store, settings),
        roads=_reference("roads", args.roads, args.store, settings),
        irrigation_areas=_reference("irrigation_areas", None, args.store, settings),
    )
    # FILEs are not uploads: their reports are numbered in the order the files were given.
    return dataclasses.replace(analyses, reports=dict(enumerate(reports, start=1)))


def _cmd_export_map(args: argparse.Namespace) -> int:
    from layers.exports import MAP_SUFFIXES

    _check_out(args.out, tuple(MAP_SUFFIXES))
    kind = MAP_SUFFIXES[args.out.suffix.lower()]
    if args.size:
        _check_size(args.size, pdf=kind == "map_pdf")
    analyses, data = _export(args, kind)
    print(
        f"map of {len(analyses.projects)} projects and {len(analyses.overlaps)} findings "
        f"-> {args.out} ({len(data) / 1e3:.0f} kB)"
    )
    return 0


def _export(args: argparse.Namespace, kind: str):
    """Make export ``kind`` of :func:`_export_analyses` and write it to ``--out``; return the
    analysis and the bytes."""
    from layers.exports import export_bytes

    basemap = _basemap(args)
    analyses = _export_analyses(args)
    data = export_bytes(
        kind,
        analyses,
        lang=args.lang,
        title=args.title,
        size=args.size,
        basemap=basemap,
        settings=args.settings,
    )
    args.out.write_bytes(data)
    return analyses, data


def _basemap(args: argparse.Namespace):
    """The ``--basemap`` tile server, or None; a malformed URL is bad input."""
    if not args.basemap:
        return None
    from layers.basemap import Basemap

    try:
        return Basemap(args.basemap, attribution=args.basemap_attribution)
    except ValueError as exc:
        raise GeoInputError(f"--{exc}") from None


def _check_size(size: str, *, pdf: bool) -> None:
    from layers.static_map import PAGE_SIZES_IN, parse_size_px

    if size.lower() in PAGE_SIZES_IN:
        return
    try:
        parse_size_px(size)
    except ValueError as exc:
        raise GeoInputError(f"--{exc}") from None


def _cmd_export_report(args: argparse.Namespace) -> int:
    from layers.exports import REPORT_SUFFIXES

    _check_out(args.out, tuple(REPORT_SUFFIXES))
    if args.size.lower() not in ("a4", "a3"):
        raise GeoInputError(f"--size {args.size}: the meeting pack is printed on a4 or a3")
    kind = REPORT_SUFFIXES[args.out.suffix.lower()]
    analyses, data = _export(args, kind)
    if kind == "oc4ids":
        from geo.export.oc4ids import unmapped_codes

        for line in unmapped_codes(analyses.projects):
            print(f"{args.out.name}: {line}")
    mismatches = len(analyses.mismatches)
    print(
        f"{len(analyses.overlaps)} findings, {mismatches} authority rows among "
        f"{len(analyses.projects)} projects -> {args.out} ({len(data) / 1e3:.0f} kB)"
    )
    return 0


_COMMANDS = {
    "import": _cmd_import,
    "overlaps": _cmd_overlaps,
    "authority": _cmd_authority,
    "gaps": _cmd_gaps,
    "locate": _cmd_locate,
    "check-proposals": _cmd_check_proposals,
    "matrix": cmd_matrix,
    "reference": _cmd_reference,
    "demo": _cmd_demo,
    "uploads": _cmd_uploads,
    "delete": _cmd_delete,
    "audit": _cmd_audit,
    "users": _cmd_users,
    "export-map": _cmd_export_map,
    "export-report": _cmd_export_report,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code."""
    settings = Settings.from_env()  # the one read of the environment's thresholds
    args = build_parser(settings).parse_args(argv)
    args.settings = settings
    _READ_REPORTS.clear()
    try:
        code = _COMMANDS[args.command](args)
        write_reports(_READ_REPORTS, getattr(args, "report_out", None))
        return code
    except GeoInputError as exc:
        for line in exc.problems:
            print(line, file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        # The reader stopped reading (``| head``): nothing to report, as other Unix tools.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except Exception as exc:  # noqa: BLE001 - the CLI never shows a traceback; this is a bug
        print(
            f"peta-sinergi: internal error ({type(exc).__name__}: {exc}); nothing was "
            "saved — please report it with the file",
            file=sys.stderr,
        )
        return 1
