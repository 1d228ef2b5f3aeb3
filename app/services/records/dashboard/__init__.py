"""The HR dashboard of a unit's subtree per year: tiles, child units, charts, people, compliance.

Set-based throughout: every figure comes from GROUP BY queries over the subtree's cadres
(materialized paths), so a page runs the same few statements for 3 cadres or 300,000.
The results are frozen dataclasses (app.domain.unit_figures) that the pages, the workbooks
and the unit summary PDF all read.
"""

from app.domain.unit_figures import (
    SCORE_BUCKETS,
    SORT_KEYS,
    AreaMastery,
    CadreRow,
    ChildRow,
    ComplianceList,
    ComplianceRow,
    Figures,
    ScoreBucket,
    UnitDashboard,
    UnitRef,
)
from app.services.records.dashboard.build import build_unit_dashboard
from app.services.records.dashboard.people import (
    build_compliance_list,
    iter_unit_cadres,
    list_unit_cadres,
)
from app.services.records.dashboard.scope import (
    default_unit,
    ensure_may_open_unit,
    record_download,
)

__all__ = [
    "SCORE_BUCKETS", "SORT_KEYS", "AreaMastery", "CadreRow", "ChildRow", "ComplianceList",
    "ComplianceRow", "Figures", "ScoreBucket", "UnitDashboard", "UnitRef",
    "build_compliance_list", "build_unit_dashboard", "default_unit", "ensure_may_open_unit",
    "iter_unit_cadres", "list_unit_cadres", "record_download",
]
