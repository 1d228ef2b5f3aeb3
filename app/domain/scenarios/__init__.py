"""Scenario generators for the data exercises: one deterministic generator per scenario.

``get_scenario(key).generate(seed, params)`` builds the tables a learner variant
works on; see ``base`` for the shapes and the determinism contract.
"""

from app.domain.scenarios import (
    community_requests,
    grid_incidents,
    health_data_sharing,
    muck_trucks,
    one_thing_services,
    pipeline_sensors,
)
from app.domain.scenarios.base import (
    COLUMN_TYPES,
    Column,
    Dataset,
    ParamSpec,
    Scenario,
    Table,
    check_table,
    is_safe_identifier,
    resolve_params,
)

SCENARIOS: dict[str, Scenario] = {
    module.SCENARIO.key: module.SCENARIO
    for module in (grid_incidents, muck_trucks, pipeline_sensors, one_thing_services,
                   health_data_sharing, community_requests)
}

__all__ = ["COLUMN_TYPES", "SCENARIOS", "Column", "Dataset", "ParamSpec", "Scenario", "Table",
           "check_table", "get_scenario", "is_safe_identifier", "resolve_params"]


def get_scenario(key: str) -> Scenario:
    try:
        return SCENARIOS[key]
    except KeyError:
        raise ValueError(f"unknown scenario {key!r}; known: {', '.join(SCENARIOS)}") from None
