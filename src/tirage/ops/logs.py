"""Log records: no traceback for ordinary client errors, optional JSON lines.

Django logs a refused page (``PermissionDenied`` → 403) with its traceback, as
if the code had failed; a 400, 403 or 404 is a visitor's mistake or a probe,
not a bug. ``ClientErrorFilter`` keeps the one-line message and drops the
traceback for every status below 500. ``JsonFormatter`` writes one JSON object
per line (``TIRAGE_LOG_FORMAT=json``) for a log collector: ``time`` (ISO 8601,
UTC), ``level``, ``logger``, ``message``, and ``status``, ``method``, ``path``
when the record comes from a request, ``exception`` (the traceback) for errors.
"""

from __future__ import annotations

import datetime as dt
import json
import logging


class ClientErrorFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if isinstance(status, int) and status < 500:
            record.exc_info = None
            record.exc_text = None
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        status = getattr(record, "status_code", None)
        if status is not None:
            entry["status"] = status
        request = getattr(record, "request", None)
        if request is not None and hasattr(request, "path"):
            entry["method"] = getattr(request, "method", "")
            entry["path"] = request.path
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
