"""Athena API calls moto 5.2 lacks that the module's resources make.

* Named queries. moto has no DeleteNamedQuery (500, retried by the provider until the destroy of
  `examples/complete`, which has two named queries, timed out) and GetNamedQuery fails with a 500
  for an unknown id. Named queries are deleted, and an unknown id answers InvalidRequestException,
  as AWS does.
"""

from __future__ import annotations

import json

from moto.athena.exceptions import AthenaClientError
from moto.athena.responses import AthenaResponse

_original_get_named_query = AthenaResponse.get_named_query


def _get_named_query(self: AthenaResponse) -> str:
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.get_named_query(query_id) is None:
        raise AthenaClientError("InvalidRequestException", f"NamedQuery {query_id} was not found")
    result: str = _original_get_named_query(self)
    return result


def _delete_named_query(self: AthenaResponse) -> str:
    query_id = self._get_param("NamedQueryId")
    if self.athena_backend.named_queries.pop(query_id, None) is None:
        raise AthenaClientError("InvalidRequestException", f"NamedQuery {query_id} was not found")
    return json.dumps({})


def install() -> None:
    AthenaResponse.get_named_query = _get_named_query  # type: ignore[method-assign]
    AthenaResponse.delete_named_query = _delete_named_query  # type: ignore[attr-defined]
