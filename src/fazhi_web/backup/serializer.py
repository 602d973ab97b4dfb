"""JSON Lines with timestamps to the microsecond, for backups (settings.SERIALIZATION_MODULES).

Django's encoder cuts datetimes to milliseconds; an audit entry restored from a backup
must keep the exact time it was written.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Deserializer  # noqa: F401 (the format's reader)
from django.core.serializers.jsonl import Serializer as JsonLinesSerializer


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime):
            text = o.isoformat()
            return text.removesuffix("+00:00") + "Z" if text.endswith("+00:00") else text
        if isinstance(o, dt.time) and o.utcoffset() is None:
            return o.isoformat()
        return super().default(o)


class Serializer(JsonLinesSerializer):
    def _init_options(self) -> None:
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder
