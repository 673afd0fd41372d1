"""Glue API calls moto 5.2 lacks that the module's resources make.

* Classifiers. moto has no CreateClassifier/GetClassifier/UpdateClassifier/DeleteClassifier/
  GetClassifiers: it answers 500 "not implemented", which the AWS provider retries for over ten
  minutes, so `examples/complete` (a CSV classifier) never applied. Classifiers are kept per
  account and region and returned in AWS's shape; the local crawl reads them.
"""

from __future__ import annotations

import copy
from datetime import UTC, datetime
from typing import Any

from moto.core.responses import ActionResult, EmptyResult
from moto.glue.exceptions import AlreadyExistsException, EntityNotFoundException, InvalidInputException
from moto.glue.models import GlueBackend
from moto.glue.responses import GlueResponse

_CLASSIFIER_KINDS = ("CsvClassifier", "GrokClassifier", "XMLClassifier", "JsonClassifier")


def classifiers(backend: GlueBackend) -> dict[str, dict[str, Any]]:
    """The backend's classifiers by name, each `{<kind>: {...}}` as GetClassifier returns it."""
    store: dict[str, dict[str, Any]] = backend.__dict__.setdefault("_compat_classifiers", {})
    return store


def _classifier_spec(params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    kinds = [k for k in _CLASSIFIER_KINDS if k in params]
    if len(kinds) != 1:
        raise InvalidInputException("CreateClassifier", "exactly one classifier type is required")
    return kinds[0], dict(params[kinds[0]])


def create_classifier(self: GlueResponse) -> ActionResult:
    kind, spec = _classifier_spec(self.parameters)
    store = classifiers(self.glue_backend)
    if spec["Name"] in store:
        raise AlreadyExistsException("Classifier")
    now = datetime.now(UTC).timestamp()
    store[spec["Name"]] = {kind: {**spec, "CreationTime": now, "LastUpdated": now, "Version": 1}}
    return EmptyResult()


def update_classifier(self: GlueResponse) -> ActionResult:
    kind, spec = _classifier_spec(self.parameters)
    store = classifiers(self.glue_backend)
    if spec["Name"] not in store:
        raise EntityNotFoundException(f"Classifier {spec['Name']} not found.")
    old = store[spec["Name"]].get(kind, {})
    store[spec["Name"]] = {
        kind: {
            **spec,
            "CreationTime": old.get("CreationTime"),
            "LastUpdated": datetime.now(UTC).timestamp(),
            "Version": old.get("Version", 0) + 1,
        }
    }
    return EmptyResult()


def get_classifier(self: GlueResponse) -> ActionResult:
    name = self.parameters.get("Name")
    store = classifiers(self.glue_backend)
    if name not in store:
        raise EntityNotFoundException(f"Classifier {name} not found.")
    return ActionResult({"Classifier": copy.deepcopy(store[name])})


def get_classifiers(self: GlueResponse) -> ActionResult:
    return ActionResult({"Classifiers": [copy.deepcopy(c) for c in classifiers(self.glue_backend).values()]})


def delete_classifier(self: GlueResponse) -> ActionResult:
    name = self.parameters.get("Name")
    store = classifiers(self.glue_backend)
    if name not in store:
        raise EntityNotFoundException(f"Classifier {name} not found.")
    del store[name]
    return EmptyResult()


def install() -> None:
    GlueResponse.create_classifier = create_classifier  # type: ignore[attr-defined]
    GlueResponse.update_classifier = update_classifier  # type: ignore[attr-defined]
    GlueResponse.get_classifier = get_classifier  # type: ignore[attr-defined]
    GlueResponse.get_classifiers = get_classifiers  # type: ignore[attr-defined]
    GlueResponse.delete_classifier = delete_classifier  # type: ignore[attr-defined]
