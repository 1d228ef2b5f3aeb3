"""Why the analysis builder refuses a model: the table browser's BuilderError (a stable
code, the form field to mark, details), so value checks shared with it raise one type."""

from app.domain.query_builder import BuilderError as AnalysisError

__all__ = ["AnalysisError"]
