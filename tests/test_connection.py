from __future__ import annotations

import pytest

from qualtui.core.connection import (
    PRODUCTION,
    SANDBOX,
    SANDBOX_URL,
    Connection,
    EndpointPlan,
    endpoint_problem,
    is_valid_region,
    plaintext_warning,
    region_warning,
)


def test_both_mturk_environments_sign_for_us_east_1() -> None:
    assert Connection("p", PRODUCTION).region == "us-east-1"
    assert Connection("p", SANDBOX).region == "us-east-1"
    assert Connection("p", "eu-west-1").region == "eu-west-1"


def test_default_plan_uses_the_sandbox_endpoint_only_for_the_sandbox() -> None:
    plan = EndpointPlan()
    assert plan.url_for(SANDBOX) == SANDBOX_URL
    assert plan.url_for(PRODUCTION) is None
    assert plan.url_for("eu-west-1") is None


def test_override_wins_everywhere_and_demo_plan_is_per_environment() -> None:
    assert EndpointPlan(override="http://127.0.0.1:9").url_for(SANDBOX) == "http://127.0.0.1:9"
    demo = EndpointPlan(per_environment={PRODUCTION: "http://p", SANDBOX: "http://s"})
    assert demo.connection("x", SANDBOX) == Connection("x", SANDBOX, "http://s")
    assert demo.url_for("eu-west-1") == "http://p"


def test_region_warning_only_outside_mturk() -> None:
    assert region_warning(PRODUCTION) is None
    assert region_warning(SANDBOX) is None
    warning = region_warning("eu-west-1")
    assert warning is not None and "us-east-1" in warning


@pytest.mark.parametrize(
    ("url", "warns"),
    [
        ("http://127.0.0.1:8443", False),
        ("http://localhost:8443", False),
        ("https://mturk.example.com", False),
        ("http://10.0.0.5:8443", True),
        ("http://proxy.example.com", True),
    ],
)
def test_plaintext_warning_for_http_off_this_machine(url: str, warns: bool) -> None:
    assert (plaintext_warning(url) is not None) == warns


@pytest.mark.parametrize("url", ["ftp://x", "localhost:80", "http://", "http://h:99999"])
def test_bad_endpoints_are_explained(url: str) -> None:
    assert endpoint_problem(url)


def test_region_names() -> None:
    assert is_valid_region("us-east-1")
    assert is_valid_region("ap-southeast-2")
    assert not is_valid_region("US-EAST-1")
    assert not is_valid_region("useast1")
