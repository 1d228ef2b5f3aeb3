"""Use cases, verb first, acting user explicit, grouped by feature (one package each).

They flush; the request or command commits. What they raise on refusal lives in
``app.services.core.errors``.
"""
