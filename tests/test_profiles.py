from __future__ import annotations

import botocore.session

from qualtui.core.profiles import list_profiles, preferred_profile
from tests.conftest import Isolation


def test_profiles_from_config_and_credentials_agree_with_botocore(aws_profiles: Isolation) -> None:
    profiles = list_profiles()
    assert profiles.names == ("default", "research", "sso-dev", "wrongsecret")
    assert profiles.sso == frozenset({"sso-dev"})
    assert set(profiles.names) == set(botocore.session.Session().available_profiles)


def test_no_files_means_no_profiles(isolated: Isolation) -> None:
    assert list_profiles().names == ()


def test_unreadable_config_is_reported_not_raised(isolated: Isolation) -> None:
    isolated.write_aws_files(config="[profile broken\nkey", credentials="[ok]\n")
    profiles = list_profiles()
    assert profiles.names == ("ok",)
    assert profiles.problems and "config" in profiles.problems[0]


def test_preferred_profile_order() -> None:
    names = ("default", "research")
    assert preferred_profile("research", names, {"AWS_PROFILE": "x"}) == "research"
    assert preferred_profile(None, names, {"AWS_PROFILE": "x"}) == "x"
    assert preferred_profile(None, names, {}) == "default"
    assert preferred_profile(None, ("research",), {}) is None
