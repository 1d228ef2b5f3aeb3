"""The no-code analysis builder (issue 18): a model of steps, compiled to one SELECT.

See model.py (the steps), columns.py (joined and derived columns), conditions.py (filters),
pivoting.py (cross tables), compiler.py (the SQL) and steps.py (each step in words).
"""

from app.domain.analysis.compiler import compile_model, model_columns
from app.domain.analysis.errors import AnalysisError
from app.domain.analysis.model import (
    AnalysisModel,
    Calculation,
    Condition,
    Derived,
    Join,
    Measure,
    Pivot,
    SortKey,
    model_from_dict,
    model_to_dict,
)

__all__ = ["AnalysisError", "AnalysisModel", "Calculation", "Condition", "Derived", "Join",
           "Measure", "Pivot", "SortKey", "compile_model", "model_columns", "model_from_dict",
           "model_to_dict"]
