"""tooling.catalog's waits, against a scripted Glue: what a caller of the real API can observe."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from tooling import catalog


class ScriptedGlue:
    """GetCrawler and ListCrawls answers, one step of the script per pair of calls."""

    def __init__(self, steps: list[tuple[str, list[str]]]) -> None:
        self.steps = steps
        self.step = 0

    def get_crawler(self, Name: str) -> dict[str, Any]:
        return {"Crawler": {"State": self.steps[self.step][0]}}

    def list_crawls(self, CrawlerName: str) -> dict[str, Any]:
        _, states = self.steps[min(self.step, len(self.steps) - 1)]
        self.step = min(self.step + 1, len(self.steps) - 1)
        return {
            "Crawls": [
                {"CrawlId": f"c{i}", "State": s, "StartTime": datetime(2026, 11, 1, 0, i, tzinfo=UTC)}
                for i, s in enumerate(states)
            ]
        }


def test_a_crawl_that_starts_between_the_two_reads_is_awaited_to_its_end(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalog.time, "sleep", lambda _: None)
    glue = ScriptedGlue(
        [
            ("READY", ["COMPLETED"]),  # the new crawl has not started
            ("READY", ["COMPLETED", "RUNNING"]),  # READY read just before the crawl started
            ("RUNNING", ["COMPLETED", "RUNNING"]),
            ("READY", ["COMPLETED", "COMPLETED"]),
        ]
    )
    crawl = catalog.wait_for_crawl(glue, "c", after=1)
    assert (crawl["CrawlId"], crawl["State"]) == ("c1", "COMPLETED")


def test_a_crawl_that_never_ends_times_out() -> None:
    glue = ScriptedGlue([("READY", ["RUNNING"])])
    with pytest.raises(catalog.Timeout, match="did not finish a crawl within 0s"):
        catalog.wait_for_crawl(glue, "c", timeout=0.3)
