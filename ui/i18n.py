"""Interface text in Bahasa Indonesia (default) and English."""

from __future__ import annotations

from typing import Final

from geo.demo.build import DEMO_NOTICE
from layers.palette import check_language

DEFAULT_LANG: Final[str] = "id"

LANGUAGE_NAMES: Final[dict[str, str]] = {"id": "Bahasa Indonesia", "en": "English"}
#: Label of the language switch, in both languages so either reader finds it.
LANGUAGE_SWITCH_LABEL: Final[str] = "Bahasa / Language"

TEXT: Final[dict[str, dict[str, str]]] = {
    "id": {
        "title": "Peta Sinergi",
        "subtitle": "Proyek jalan, jembatan dan irigasi pusat, provinsi dan kabupaten/kota",
        "demo_notice": DEMO_NOTICE,
        "no_projects": "Belum ada proyek di penyimpanan {store}.",
        "store_error": "Data proyek tidak dapat dibaca",
        "store_unavailable": "Basis data tidak dapat dihubungi: pastikan servernya berjalan dan "
        "DATABASE_URL (host, port, nama basis data, pengguna, kata sandi) benar",
        "map_caption": "Arahkan kursor ke sebuah proyek untuk melihat datanya; klik untuk "
        "melihat data lengkap dan temuannya.",
        "projects": "proyek",
        # pages
        "page_peta": "Peta",
        "page_unggah": "Unggah",
        "page_tumpang_tindih": "Tumpang Tindih",
        "page_kewenangan": "Kewenangan",
        "page_kesenjangan": "Kesenjangan",
        "page_ekspor": "Ekspor",
        "page_data": "Data",
        # filters
        "filters": "Saring proyek",
        "years": "Tahun anggaran",
        "levels": "Tingkat pemerintahan",
        "asset_types": "Jenis aset",
        "funding_sources": "Sumber dana",
        "units": "Kabupaten/kota",
        "all": "semua",
        "shown": "{shown} dari {total} proyek ditampilkan",
        "show_overlaps": "Sorot tumpang tindih",
        "show_gaps": "Tampilkan kesenjangan per wilayah",
        "osm": "Peta dasar OpenStreetMap (perlu internet)",
        # selection
        "selected_project": "Proyek terpilih",
        "findings_of_project": "Temuan proyek ini",
        "no_findings_of_project": "Tidak ada temuan untuk proyek ini.",
        "selected_finding": "Temuan terpilih",
        "click_hint": "Klik sebuah proyek di peta untuk melihat data lengkap dan temuannya.",
        # findings pages
        "overlaps_intro": "Pasangan proyek yang merencanakan pekerjaan pada ruas, jembatan "
        "atau daerah irigasi yang sama (indikatif: tinjau buktinya dalam rapat).",
        "mismatches_intro": "Proyek di luar kewenangan tingkat pemerintahannya menurut jaringan "
        "jalan berstatus dan Daerah Irigasi (Permen PUPR 14/2015). Pengecualian (IJD, tugas "
        "pembantuan) ditampilkan, tidak ditandai.",
        "no_overlaps": "Tidak ada tumpang tindih pada data ini.",
        "no_mismatches": "Tidak ada ketidaksesuaian kewenangan pada data ini.",
        "no_reference": "Belum ada lapisan acuan (jaringan jalan berstatus / Daerah Irigasi). "
        "Simpan dengan: python -m geo reference roads BERKAS",
        "select_row": "Pilih sebuah baris untuk memperbesar peta ke temuan itu dan meninjaunya.",
        "findings_count": "{count} temuan",
        "gaps_chart_top": "{shown} dari {total} wilayah dengan kesenjangan terbesar.",
        "findings_top": "{count} temuan; tabel memuat {shown} yang paling mendesak (tingkat, lalu "
        "anggaran terdampak). Semua temuan ada di halaman Ekspor (Excel, CSV).",
        "review": "Tinjauan",
        "decision": "Keputusan",
        "decision_confirm": "Konfirmasi",
        "decision_dismiss": "Tolak",
        "decision_note": "Catatan saja",
        "note": "Catatan",
        "who": "Peninjau (nama / instansi)",
        "save_review": "Simpan tinjauan",
        "review_saved": "Tinjauan {finding} disimpan.",
        "last_review": "Tinjauan terakhir: {decision} oleh {who} ({when})",
        "review_status": "Tinjauan",
        "status_open": "belum ditinjau",
        "status_confirm": "dikonfirmasi",
        "status_dismiss": "ditolak",
        "status_note": "catatan",
        "settings": "Ambang batas analisis",
        # columns
        "col_finding": "Temuan",
        "col_asset": "Aset",
        "col_severity": "Tingkat",
        "col_relation": "Hubungan",
        "col_project_a": "Proyek A",
        "col_level_a": "Tingkat A",
        "col_project_b": "Proyek B",
        "col_level_b": "Tingkat B",
        "col_shared": "Bagian bersama",
        "col_share_a": "Porsi A",
        "col_share_b": "Porsi B",
        "col_budget_at_stake": "Anggaran terdampak",
        "col_years": "Tahun",
        "col_project": "Proyek",
        "col_agency": "Instansi",
        "col_level": "Tingkat",
        "col_expected": "Kewenangan",
        "col_verdict": "Putusan",
        "col_rule": "Aturan",
        "col_share": "Porsi",
        "col_unit": "Wilayah",
        "col_projects": "Proyek",
        "col_budget": "Pagu",
        "col_network_km": "Jaringan (km)",
        "col_covered_km": "Tertangani (km)",
        "col_covered_share": "Tertangani",
        "col_uncovered_km": "Belum tertangani (km)",
        "col_per_km2": "Proyek per km²",
        # gaps
        "gaps_intro": "Cakupan proyek per kabupaten/kota: panjang jaringan jalan yang "
        "ditangani proyek (bila jaringan berstatus tersedia), kepadatan proyek per km² dan per "
        "penduduk.",
        "no_units": "Belum ada batas wilayah (kabupaten/kota) di penyimpanan. Simpan dengan: "
        "python -m geo reference units BERKAS",
        "gaps_chart": "Porsi jaringan belum tertangani per wilayah",
        # upload wizard
        "upload_intro": "Unggah berkas proyek instansi Anda: shapefile ber-zip, GeoPackage, "
        "GeoJSON, KML/KMZ, FlatGeobuf, GeoParquet, CSV atau XLSX berkoordinat.",
        "choose_files": "Pilih berkas (untuk shapefile lepas: .shp, .shx, .dbf, .prj sekaligus)",
        "main_file": "Berkas yang dibaca",
        "step_detect": "1. Isi berkas",
        "step_mapping": "2. Pemetaan kolom",
        "step_given": "3. Tingkat, instansi dan jenis aset",
        "step_report": "4. Laporan impor",
        "step_commit": "5. Simpan",
        "layer": "Lapisan",
        "features": "fitur",
        "crs": "Sistem koordinat",
        "crs_missing": "tidak dinyatakan (diperiksa dari koordinat)",
        "geometry_types": "Jenis geometri",
        "columns": "Kolom",
        "reader_notes": "Catatan pembaca (pengodean, CRS, dll.)",
        "mapping_help": "Diisi otomatis dari nama kolom yang dikenal; ubah bila perlu.",
        "no_column": "— tidak ada —",
        "field_project_id": "Kode paket",
        "field_name": "Nama paket",
        "field_level": "Tingkat (kolom)",
        "field_agency": "Instansi (kolom)",
        "field_asset_type": "Jenis aset (kolom)",
        "field_work_type": "Jenis pekerjaan",
        "field_year": "Tahun anggaran",
        "field_year_start": "Tahun mulai",
        "field_year_end": "Tahun selesai",
        "field_budget_idr": "Pagu (Rp)",
        "field_contract_value_idr": "Nilai kontrak (Rp)",
        "field_date": "Tanggal (bila tak ada kolom tahun)",
        "field_funding_source": "Sumber dana",
        "field_status": "Status",
        "given_level": "Tingkat untuk semua baris",
        "given_agency": "Instansi untuk semua baris",
        "given_asset": "Jenis aset untuk semua baris",
        "from_file": "dari berkas",
        "crs_option": "CRS bila berkas tidak menyatakannya (mis. 32748)",
        "replace": "Ganti unggahan sebelumnya dengan nama berkas yang sama",
        "check": "Periksa berkas",
        "read_error": "Berkas tidak dapat diimpor",
        "cli_options_hint": "Pesan yang menyebut opsi baris perintah berlaku juga di sini: "
        "--map FIELD=KOLOM → pemetaan kolom (langkah 2); --level, --agency, --asset → langkah 3; "
        "--crs → kolom CRS.",
        "counts": "{read} dibaca, {stored} disimpan ({repaired} diperbaiki), {rejected} ditolak",
        "download_report": "Unduh laporan impor (CSV)",
        "commit": "Simpan ke penyimpanan",
        "nothing_to_store": "Tidak ada catatan yang dapat disimpan.",
        "stored": "Tersimpan sebagai unggahan {upload}: {stored} proyek.",
        "already": "Berkas ini sudah diimpor sebagai unggahan {upload}: tidak ada perubahan "
        "(centang 'Ganti' untuk mengimpor ulang).",
        "options_changed": "Berkas yang sama pernah diimpor sebagai unggahan {replaced} dengan "
        "pilihan lain (pemetaan kolom, tingkat, instansi, jenis aset, CRS): impor ini "
        "menggantikannya.",
        "rejected_see_data": "{rejected} dari {read} catatan ditolak, masing-masing dengan "
        "alasannya: laporan lengkap ada di halaman Data (unggahan {upload}) atau "
        "python -m geo uploads --report {upload} --out laporan.csv.",
        "full_report_note": "Laporan lengkap: setiap catatan dan setiap baris catatan berkas. "
        "Baris perintah: python -m geo uploads --report {upload} --out laporan.csv",
        "new_findings": "Temuan data baru",
        "new_overlaps": "Tumpang tindih dengan data di penyimpanan",
        "new_mismatches": "Kewenangan",
        "no_new_findings": "Data baru tidak bertumpang tindih dengan proyek lain.",
        # exports
        "export_intro": "Bahan rapat koordinasi: peta untuk slide dan cetak, bahan rapat (PDF), "
        "buku kerja Excel, temuan untuk QGIS. Sel yang diawali = + - @ ditulis sebagai teks.",
        "export_title": "Judul peta dan bahan rapat",
        "export_offline": "Berkas dibuat saat tombol diklik; peta dan bahan rapat bekerja tanpa "
        "internet.",
        "export_csv": "Tabel temuan (CSV)",
        "export_failed": "{export}: berkas tidak dapat dibuat ({reason}). Rinciannya ada di log "
        "server; laporkan bila terulang.",
        # sign-in
        "demo_mode": "Mode demo: tanpa masuk (sign-in), siapa pun dapat mengubah data contoh. "
        "Untuk pemakaian sebenarnya buat akun (python -m geo users add) atau atur OIDC.",
        "signed_in_as": "Masuk sebagai {who}",
        "sign_out": "Keluar",
        "sign_in": "Masuk",
        "sign_in_oidc": "Masuk dengan akun instansi",
        "user_name": "Nama pengguna",
        "password": "Kata sandi",
        "sign_in_failed": "Nama pengguna atau kata sandi salah.",
        "sign_in_locked": "Terlalu banyak kata sandi salah: masuk dikunci sampai {until} UTC. "
        "Administrator dapat mengatur ulang kata sandi (python -m geo users add).",
        "read_only_mode": "Mode hanya-baca: penyimpanan ini belum punya akun pengguna. "
        "Administrator membuat akun pertama di server dengan `python -m geo users add NAMA "
        "--role admin` (berkas users.json di samping berkas penyimpanan, atau $PETA_USERS), lalu masuk untuk mengunggah atau meninjau.",
        "audit_trail": "Jejak audit: impor, penggantian, penghapusan, tinjauan",
        "download_audit": "Unduh jejak audit (CSV)",
        "download_overlaps": "Tumpang tindih (CSV)",
        "download_mismatches": "Kewenangan (CSV)",
        "download_gaps": "Kesenjangan per wilayah (CSV)",
        "download_uploads": "Daftar unggahan (CSV)",
        # data
        "data_intro": "Unggahan di penyimpanan {store}: lihat laporan, ganti atau hapus.",
        "no_uploads": "Belum ada unggahan.",
        "choose_upload": "Unggahan",
        "report_of": "Laporan impor unggahan {upload}",
        "delete": "Hapus unggahan ini",
        "delete_confirm": "Ya, hapus unggahan {upload} beserta {count} proyeknya",
        "deleted": "Unggahan {upload} dihapus ({count} proyek).",
        "replace_hint": "Untuk mengganti sebuah unggahan, unggah berkas baru dengan nama yang "
        "sama di halaman Unggah dan centang 'Ganti'.",
        "col_file": "Berkas",
        "col_uploaded_at": "Waktu",
        "col_read": "Dibaca",
        "col_stored": "Disimpan",
        "col_repaired": "Diperbaiki",
        "col_rejected": "Ditolak",
    },
    "en": {
        "title": "Peta Sinergi",
        "subtitle": "Central, provincial and district road, bridge and irrigation projects",
        "demo_notice": "Sample data (illustrative) — not official data",
        "no_projects": "The store {store} holds no projects yet.",
        "store_error": "The project data cannot be read",
        "store_unavailable": "The database cannot be reached: check that its server runs and "
        "that DATABASE_URL (host, port, database name, user, password) is right",
        "map_caption": "Hover over a project to see its record; click it for the full record "
        "and its findings.",
        "projects": "projects",
        "page_peta": "Map",
        "page_unggah": "Upload",
        "page_tumpang_tindih": "Overlaps",
        "page_kewenangan": "Authority",
        "page_kesenjangan": "Coverage gaps",
        "page_ekspor": "Export",
        "page_data": "Data",
        "filters": "Filter projects",
        "years": "Budget years",
        "levels": "Level of government",
        "asset_types": "Asset type",
        "funding_sources": "Funding source",
        "units": "District/city",
        "all": "all",
        "shown": "{shown} of {total} projects shown",
        "show_overlaps": "Highlight overlaps",
        "show_gaps": "Show coverage gaps per unit",
        "osm": "OpenStreetMap basemap (needs internet)",
        "selected_project": "Selected project",
        "findings_of_project": "Findings of this project",
        "no_findings_of_project": "No findings for this project.",
        "selected_finding": "Selected finding",
        "click_hint": "Click a project on the map to see its full record and its findings.",
        "overlaps_intro": "Pairs of projects planning work on the same road stretch, bridge or "
        "irrigation area (indicative: review the evidence in the meeting).",
        "mismatches_intro": "Projects outside their level's authority by the road network's "
        "status and the Daerah Irigasi (Permen PUPR 14/2015). Exceptions (IJD, tugas "
        "pembantuan) are shown, not flagged.",
        "no_overlaps": "No overlaps in this data.",
        "no_mismatches": "No authority mismatches in this data.",
        "no_reference": "No reference layer yet (road network with status / Daerah Irigasi). "
        "Store one with: python -m geo reference roads FILE",
        "select_row": "Select a row to zoom the map to that finding and review it.",
        "findings_count": "{count} findings",
        "gaps_chart_top": "The {shown} of {total} units with the largest gaps.",
        "findings_top": "{count} findings; the table holds the {shown} most pressing (severity, "
        "then budget at stake). Every finding is on the Ekspor page (Excel, CSV).",
        "review": "Review",
        "decision": "Decision",
        "decision_confirm": "Confirm",
        "decision_dismiss": "Dismiss",
        "decision_note": "Note only",
        "note": "Note",
        "who": "Reviewer (name / agency)",
        "save_review": "Save review",
        "review_saved": "Review of {finding} saved.",
        "last_review": "Last review: {decision} by {who} ({when})",
        "review_status": "Review",
        "status_open": "not reviewed",
        "status_confirm": "confirmed",
        "status_dismiss": "dismissed",
        "status_note": "note",
        "settings": "Analysis thresholds",
        "col_finding": "Finding",
        "col_asset": "Asset",
        "col_severity": "Severity",
        "col_relation": "Relation",
        "col_project_a": "Project A",
        "col_level_a": "Level A",
        "col_project_b": "Project B",
        "col_level_b": "Level B",
        "col_shared": "Shared part",
        "col_share_a": "Share A",
        "col_share_b": "Share B",
        "col_budget_at_stake": "Budget at stake",
        "col_years": "Years",
        "col_project": "Project",
        "col_agency": "Agency",
        "col_level": "Level",
        "col_expected": "Authority",
        "col_verdict": "Verdict",
        "col_rule": "Rule",
        "col_share": "Share",
        "col_unit": "Unit",
        "col_projects": "Projects",
        "col_budget": "Budget",
        "col_network_km": "Network (km)",
        "col_covered_km": "Covered (km)",
        "col_covered_share": "Covered",
        "col_uncovered_km": "Not covered (km)",
        "col_per_km2": "Projects per km²",
        "gaps_intro": "Project coverage per district/city: length of the road network covered "
        "by projects (when a network with status is loaded), projects per km² and per person.",
        "no_units": "The store has no administrative units (districts/cities) yet. Store them "
        "with: python -m geo reference units FILE",
        "gaps_chart": "Share of the network not covered, per unit",
        "upload_intro": "Upload your agency's project file: zipped shapefile, GeoPackage, "
        "GeoJSON, KML/KMZ, FlatGeobuf, GeoParquet, CSV or XLSX with coordinates.",
        "choose_files": "Choose file(s) (for a loose shapefile: .shp, .shx, .dbf, .prj together)",
        "main_file": "File to read",
        "step_detect": "1. What the file holds",
        "step_mapping": "2. Column mapping",
        "step_given": "3. Level, agency and asset type",
        "step_report": "4. Import report",
        "step_commit": "5. Save",
        "layer": "Layer",
        "features": "features",
        "crs": "Coordinate system",
        "crs_missing": "not declared (checked from the coordinates)",
        "geometry_types": "Geometry types",
        "columns": "Columns",
        "reader_notes": "Reader notes (encoding, CRS, ...)",
        "mapping_help": "Pre-filled from known column names; change where needed.",
        "no_column": "— none —",
        "field_project_id": "Package code",
        "field_name": "Package name",
        "field_level": "Level (column)",
        "field_agency": "Agency (column)",
        "field_asset_type": "Asset type (column)",
        "field_work_type": "Work type",
        "field_year": "Budget year",
        "field_year_start": "First year",
        "field_year_end": "Last year",
        "field_budget_idr": "Budget (Rp)",
        "field_contract_value_idr": "Contract value (Rp)",
        "field_date": "Date (when there is no year column)",
        "field_funding_source": "Funding source",
        "field_status": "Status",
        "given_level": "Level of every row",
        "given_agency": "Agency of every row",
        "given_asset": "Asset type of every row",
        "from_file": "from the file",
        "crs_option": "CRS when the file declares none (e.g. 32748)",
        "replace": "Replace an earlier upload with the same file name",
        "check": "Check the file",
        "read_error": "The file cannot be imported",
        "cli_options_hint": "Messages naming a command-line option apply here too: "
        "--map FIELD=COLUMN → the column mapping (step 2); --level, --agency, --asset → step 3; "
        "--crs → the CRS field.",
        "counts": "{read} read, {stored} stored ({repaired} repaired), {rejected} rejected",
        "download_report": "Download the import report (CSV)",
        "commit": "Save to the store",
        "nothing_to_store": "No record can be stored.",
        "stored": "Saved as upload {upload}: {stored} projects.",
        "already": "This file was imported before as upload {upload}: nothing changed (tick "
        "'Replace' to import it again).",
        "options_changed": "The same file was imported before as upload {replaced} with other "
        "choices (column mapping, level, agency, asset type, CRS): this import replaces it.",
        "rejected_see_data": "{rejected} of {read} records rejected, each with its reason: the "
        "full report is on the Data page (upload {upload}) or python -m geo uploads --report "
        "{upload} --out report.csv.",
        "full_report_note": "The full report: every record and every file-level note. Command "
        "line: python -m geo uploads --report {upload} --out report.csv",
        "new_findings": "Findings of the new data",
        "new_overlaps": "Overlaps with the data in the store",
        "new_mismatches": "Authority",
        "no_new_findings": "The new data overlaps no other project.",
        "export_intro": "Material for coordination meetings: slide and print maps, the meeting "
        "pack (PDF), the Excel workbook, findings for QGIS. Cells starting with = + - @ are "
        "written as text.",
        "export_title": "Title of the map and meeting pack",
        "export_offline": "Files are made when a button is clicked; maps and the pack work "
        "offline.",
        "export_csv": "Finding tables (CSV)",
        "export_failed": "{export}: the file could not be made ({reason}). The details are in "
        "the server's log; report it if it happens again.",
        # sign-in
        "demo_mode": "Demo mode: no sign-in, anyone can change the sample data. For real use "
        "create accounts (python -m geo users add) or configure OIDC.",
        "signed_in_as": "Signed in as {who}",
        "sign_out": "Sign out",
        "sign_in": "Sign in",
        "sign_in_oidc": "Sign in with your agency account",
        "user_name": "User name",
        "password": "Password",
        "sign_in_failed": "Wrong user name or password.",
        "sign_in_locked": "Too many wrong passwords: sign-in is locked until {until} UTC. An "
        "administrator can reset the password (python -m geo users add).",
        "read_only_mode": "Read-only mode: this store has no user accounts yet. An administrator "
        "creates the first one on the server with `python -m geo users add NAME --role admin` "
        "(users.json beside the store file, or $PETA_USERS), then signs in to upload or review.",
        "audit_trail": "Audit trail: imports, replaces, deletes, reviews",
        "download_audit": "Download the audit trail (CSV)",
        "download_overlaps": "Overlaps (CSV)",
        "download_mismatches": "Authority (CSV)",
        "download_gaps": "Coverage gaps per unit (CSV)",
        "download_uploads": "Uploads (CSV)",
        "data_intro": "Uploads in the store {store}: see the report, replace or delete.",
        "no_uploads": "No uploads yet.",
        "choose_upload": "Upload",
        "report_of": "Import report of upload {upload}",
        "delete": "Delete this upload",
        "delete_confirm": "Yes, delete upload {upload} and its {count} projects",
        "deleted": "Upload {upload} deleted ({count} projects).",
        "replace_hint": "To replace an upload, upload the new file with the same name on the "
        "Upload page and tick 'Replace'.",
        "col_file": "File",
        "col_uploaded_at": "Time",
        "col_read": "Read",
        "col_stored": "Stored",
        "col_repaired": "Repaired",
        "col_rejected": "Rejected",
    },
}


def text(key: str, lang: str) -> str:
    """The interface string ``key`` in ``lang``."""
    return TEXT[check_language(lang)][key]
