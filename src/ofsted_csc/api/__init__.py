"""The Python API: what the CLI and the web app do, for notebooks and scripts too.

    from ofsted_csc import api
    store = api.open_store()                       # or api.open_store("postgresql+psycopg://...")
    summary = api.ingest(store, ["reports/"], jobs=2)
    print(summary.stored, summary.refused)
    api.export(store, "inspections", "csv", "inspections.csv")

Errors are typed (ofsted_csc.domain.errors); nothing here prints. The edges (the CLI and the
web app) reach the store only through these functions.
"""

from ofsted_csc.api.benchmarks import (
    compare_themes,
    council_profile,
    each_31_march,
    facts,
    inspections_between,
    national,
    official_published,
    picture_date,
    profile_json,
    profile_tables,
    regions,
    regions_over_time,
    report_facts,
    retheme,
    themed_items,
    themed_sources,
    trajectories,
    visits_of,
)
from ofsted_csc.api.changes import CHANGE_VIEWS, Change, Episode, changes, changes_table, episodes
from ofsted_csc.api.exports import export, table
from ofsted_csc.api.forecasts import (
    ESTIMATE_NOTE,
    FORECAST_COLUMNS,
    FORECAST_NOTE,
    CouncilForecast,
    ForecastWords,
    council_forecasts,
    forecast,
    forecast_words,
    likeliest_inspected,
)
from ofsted_csc.api.health import (
    REFUSED_COUNTED_FROM,
    UNKNOWN,
    About,
    Check,
    CheckRow,
    EditionHeld,
    about,
    check,
    reconciliation,
)
from ofsted_csc.api.inspections import (
    AcceptedOfficial,
    ReviewItem,
    accept_official,
    default_jobs,
    import_official,
    open_store,
    review,
    review_items,
    show,
    stored_json,
)
from ofsted_csc.api.inspectors import (
    INSPECTORS_NOTE,
    MERGE_NOTE,
    InspectorList,
    Inspectors,
    inspector,
    inspector_table,
    inspectors,
    inspectors_table,
)
from ofsted_csc.api.search import (
    DEFAULT_LIMIT as DEFAULT_SEARCH_LIMIT,
)
from ofsted_csc.api.search import (
    MAX_LIMIT as MAX_SEARCH_LIMIT,
)
from ofsted_csc.api.search import (
    SEARCH_COLUMNS,
    SEARCH_TABLE_COLUMNS,
    Hit,
    ReindexSummary,
    reindex,
    search,
    search_rows,
    unindexed_count,
)
from ofsted_csc.parsing.corrections import load_corrections
from ofsted_csc.services.ingest import FileOutcome, IngestSummary, find_files, ingest, read_files
from ofsted_csc.storage import Store, StoredResult

# isort: split
# -- one read model: a snapshot of the store, which every read function above takes in
# place of a Store; the functions the CLI and the web app share for each figure; the one
# module of row formats (api.rows); the types and constants the edges read results with --
from ofsted_csc.analytics.benchmarking import (
    GRADE_ORDER,
    JUDGEMENTS,
    ROUND_COUNTS,
    ROUND_KINDS,
    Facts,
    Picture,
    PictureRow,
    Position,
    Profile,
    match_region,
)
from ofsted_csc.analytics.snapshot import Document, DocumentFilters, Snapshot
from ofsted_csc.api.benchmarks import (
    councils,
    documents,
    documents_table,
    picture_json,
    positions,
    theme_counts,
)
from ofsted_csc.api.exports import table_bytes, write_table, write_workbook
from ofsted_csc.api.inspections import pdf
from ofsted_csc.api.snapshot import Source, snapshot
from ofsted_csc.reports import rows

__all__ = [
    "CHANGE_VIEWS",
    "DEFAULT_SEARCH_LIMIT",
    "ESTIMATE_NOTE",
    "FORECAST_COLUMNS",
    "FORECAST_NOTE",
    "INSPECTORS_NOTE",
    "MAX_SEARCH_LIMIT",
    "MERGE_NOTE",
    "REFUSED_COUNTED_FROM",
    "SEARCH_COLUMNS",
    "SEARCH_TABLE_COLUMNS",
    "UNKNOWN",
    "About",
    "AcceptedOfficial",
    "Change",
    "Check",
    "CheckRow",
    "CouncilForecast",
    "EditionHeld",
    "Episode",
    "FileOutcome",
    "ForecastWords",
    "Hit",
    "IngestSummary",
    "InspectorList",
    "Inspectors",
    "ReindexSummary",
    "ReviewItem",
    "Store",
    "StoredResult",
    "about",
    "accept_official",
    "changes",
    "changes_table",
    "check",
    "compare_themes",
    "council_forecasts",
    "council_profile",
    "default_jobs",
    "each_31_march",
    "episodes",
    "export",
    "facts",
    "find_files",
    "forecast",
    "forecast_words",
    "import_official",
    "ingest",
    "inspections_between",
    "inspector",
    "inspector_table",
    "inspectors",
    "inspectors_table",
    "likeliest_inspected",
    "load_corrections",
    "national",
    "official_published",
    "open_store",
    "picture_date",
    "profile_json",
    "profile_tables",
    "read_files",
    "reconciliation",
    "regions",
    "regions_over_time",
    "reindex",
    "report_facts",
    "retheme",
    "review",
    "review_items",
    "search",
    "search_rows",
    "show",
    "stored_json",
    "table",
    "themed_items",
    "themed_sources",
    "trajectories",
    "unindexed_count",
    "visits_of",
]

# -- one read model (see its imports above) --
__all__ += [
    "GRADE_ORDER",
    "JUDGEMENTS",
    "ROUND_COUNTS",
    "ROUND_KINDS",
    "Document",
    "DocumentFilters",
    "Facts",
    "Picture",
    "PictureRow",
    "Position",
    "Profile",
    "Snapshot",
    "Source",
    "councils",
    "documents",
    "documents_table",
    "match_region",
    "pdf",
    "picture_json",
    "positions",
    "rows",
    "snapshot",
    "table_bytes",
    "theme_counts",
    "write_table",
    "write_workbook",
]
