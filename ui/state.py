"""Every ``st.session_state`` key the app uses, declared in one place."""

from __future__ import annotations

from typing import Final

#: The interface language: ``"id"`` (Bahasa Indonesia, default) or ``"en"``.
LANG: Final[str] = "lang"
#: The language last shown, kept apart from the selector's own state: Streamlit drops a
#: widget's state when a page is opened from the sidebar before the first run has finished.
LANG_SHOWN: Final[str] = "lang_shown"
#: The settings in force (:class:`geo.settings.Settings`), read at start-up by ``app.py``.
SETTINGS: Final[str] = "settings"
#: Most projects a map view draws one by one (`$PETA_MAP_DETAIL_MAX`), read with the settings.
MAP_DETAIL_MAX: Final[str] = "map_detail_max"
#: The map component of each page; a fixed key keeps a map mounted while nothing it shows
#: changes.
MAP: Final[str] = "peta_map"
OVERLAP_MAP: Final[str] = "tumpang_tindih_map"
MISMATCH_MAP: Final[str] = "kewenangan_map"
GAP_MAP: Final[str] = "kesenjangan_map"
UPLOAD_MAP: Final[str] = "unggah_map"
PROPOSAL_MAP: Final[str] = "cek_usulan_map"

# Map filters (Peta page).
FILTER_YEARS: Final[str] = "filter_years"
FILTER_LEVELS: Final[str] = "filter_levels"
FILTER_ASSETS: Final[str] = "filter_assets"
FILTER_FUNDING: Final[str] = "filter_funding"
FILTER_UNITS: Final[str] = "filter_units"
SHOW_OVERLAPS: Final[str] = "show_overlaps"
SHOW_GAPS: Final[str] = "show_gaps"
OSM_TILES: Final[str] = "osm_tiles"

# Findings tables (row selection) and review forms.
OVERLAP_TABLE: Final[str] = "overlap_table"
MISMATCH_TABLE: Final[str] = "mismatch_table"
REVIEW_DECISION: Final[str] = "review_decision"
REVIEW_NOTE: Final[str] = "review_note"
REVIEW_WHO: Final[str] = "review_who"
#: The last saved review's finding id, confirmed once after the rerun.
REVIEW_SAVED: Final[str] = "review_saved"

# Cek Usulan: the list, the level of every row, the table's selection, the decision form.
PROPOSAL_FILE: Final[str] = "proposal_file"
PROPOSAL_LEVEL: Final[str] = "proposal_level"
PROPOSAL_TABLE: Final[str] = "proposal_table"
PROPOSAL_STATUS: Final[str] = "proposal_status"
PROPOSAL_NOTE: Final[str] = "proposal_note"
PROPOSAL_WHO: Final[str] = "proposal_who"
#: The number of the row whose status was last saved, confirmed once after the rerun.
PROPOSAL_SAVED: Final[str] = "proposal_saved"

# Matriks Sinkronisasi: the filters, the table's selection, the decision form.
MATRIX_UNIT: Final[str] = "matrix_unit"
MATRIX_YEAR: Final[str] = "matrix_year"
MATRIX_LEVELS: Final[str] = "matrix_levels"
MATRIX_ONLY_CONFLICTS: Final[str] = "matrix_only_conflicts"
MATRIX_TABLE: Final[str] = "matrix_table"
MATRIX_DECISION: Final[str] = "matrix_decision"
MATRIX_DECISION_OTHER: Final[str] = "matrix_decision_other"
MATRIX_NOTE: Final[str] = "matrix_note"
MATRIX_WHO: Final[str] = "matrix_who"
#: The number of the row whose decision was last saved, confirmed once after the rerun.
MATRIX_SAVED: Final[str] = "matrix_saved"
#: Download (``xlsx``/``pdf``) -> why its file could not be made, told on the next run.
MATRIX_FAILURES: Final[str] = "matrix_failures"

# Ekspor.
#: Export kind -> why its file could not be made, told once on the page's next run (the file
#: is made outside the script run, when its button is clicked).
EXPORT_FAILURES: Final[str] = "export_failures"

# Upload wizard.
UPLOAD_FILES: Final[str] = "upload_files"
UPLOAD_MAIN: Final[str] = "upload_main"
UPLOAD_MAPPING_PREFIX: Final[str] = "upload_map_"
UPLOAD_LEVEL: Final[str] = "upload_level"
UPLOAD_AGENCY: Final[str] = "upload_agency"
UPLOAD_ASSET: Final[str] = "upload_asset"
UPLOAD_CRS: Final[str] = "upload_crs"
UPLOAD_REPLACE: Final[str] = "upload_replace"
#: The file and options last checked (a key of both): its report shows until they change;
#: the read result itself comes from the cache.
UPLOAD_CHECKED: Final[str] = "upload_checked"
#: What the last save did (upload id, stored count, already imported), shown after the rerun.
UPLOAD_OUTCOME: Final[str] = "upload_outcome"

# Data page.
DATA_UPLOAD: Final[str] = "data_upload"
DATA_DELETE_CONFIRM: Final[str] = "data_delete_confirm"
#: What the last delete did, shown after the rerun.
DATA_DELETED: Final[str] = "data_deleted"

# Sign-in (ui/auth.py).
#: The acting user (a geo.auth.Actor) of this run.
ACTOR: Final[str] = "actor"
#: The local account signed in with the form, kept for the session.
LOCAL_USER: Final[str] = "local_user"
SIGN_IN_FORM: Final[str] = "sign_in_form"
SIGN_OUT: Final[str] = "sign_out"
