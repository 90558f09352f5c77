"""The AWS profiles boto3 would see, read without importing botocore.

botocore's `Session().available_profiles` merges `[profile X]` and `[default]` sections of
the config file with every section of the shared credentials file; SSO profiles are ordinary
`[profile X]` sections. This reads the same files (honouring AWS_CONFIG_FILE and
AWS_SHARED_CREDENTIALS_FILE) with configparser, which is far cheaper than importing botocore
before the first frame. A test checks that both agree.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:
    import configparser


def config_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("AWS_CONFIG_FILE") or "~/.aws/config").expanduser()


def credentials_path(env: Mapping[str, str] | None = None) -> Path:
    env = os.environ if env is None else env
    return Path(env.get("AWS_SHARED_CREDENTIALS_FILE") or "~/.aws/credentials").expanduser()


_NONE: Mapping[str, str] = MappingProxyType({})


class ProfileList(NamedTuple):
    names: tuple[str, ...]
    sso: frozenset[str] = frozenset()
    problems: tuple[str, ...] = ()
    kinds: Mapping[str, str] = _NONE  # see `credential_kind`
    regions: Mapping[str, str] = _NONE

    def facts(self, name: str) -> str:
        """What a profile is, for a picker: 'SSO · eu-west-1', 'static keys'."""
        facts = [self.kinds.get(name, "no credentials"), self.regions.get(name, "")]
        return " · ".join(f for f in facts if f)


def credential_kind(config: Mapping[str, str], credentials: Mapping[str, str]) -> str:
    """Where a profile's credentials come from, as the AWS CLI would resolve them first."""
    if "sso_start_url" in config or "sso_session" in config:
        return "SSO"
    if "role_arn" in config:
        return "role"
    if "credential_process" in config or "credential_process" in credentials:
        return "credential_process"
    if "aws_access_key_id" in credentials or "aws_access_key_id" in config:
        return "static keys"
    return "no credentials"


def _read(path: Path) -> tuple[configparser.RawConfigParser | None, str | None]:
    import configparser  # in the thread that lists the profiles, after the first frame

    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    try:
        with path.open(encoding="utf-8") as handle:
            parser.read_file(handle)
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError, configparser.Error) as error:
        return None, f"Could not read {path}: {type(error).__name__}"
    return parser, None


def list_profiles(env: Mapping[str, str] | None = None) -> ProfileList:
    names: dict[str, None] = {}
    sso: set[str] = set()
    problems: list[str] = []
    settings: dict[str, dict[str, str]] = {}
    keys: dict[str, dict[str, str]] = {}
    config, problem = _read(config_path(env))
    if problem:
        problems.append(problem)
    if config is not None:
        for section in config.sections():
            if section == "default":
                name = "default"
            elif section.startswith("profile "):
                name = section.removeprefix("profile ").strip()
            else:
                continue  # sso-session, services and the like are not profiles
            names[name] = None
            settings[name] = dict(config.items(section))
            if config.has_option(section, "sso_start_url") or config.has_option(
                section, "sso_session"
            ):
                sso.add(name)
    credentials, problem = _read(credentials_path(env))
    if problem:
        problems.append(problem)
    if credentials is not None:
        for section in credentials.sections():
            names[section] = None
            keys[section] = dict(credentials.items(section))
    kinds = {n: credential_kind(settings.get(n, {}), keys.get(n, {})) for n in names}
    regions = {n: r.strip() for n in names if (r := settings.get(n, {}).get("region", ""))}
    return ProfileList(tuple(sorted(names)), frozenset(sso), tuple(problems), kinds, regions)


def preferred_profile(
    explicit: str | None,
    available: tuple[str, ...],
    env: Mapping[str, str] | None = None,
    remembered: str | None = None,
) -> str | None:
    """--profile, else AWS_PROFILE, else the last one used (if it still exists), else
    `default` if it exists; None means environment credentials."""
    env = os.environ if env is None else env
    if explicit:
        return explicit
    if env.get("AWS_PROFILE"):
        return env["AWS_PROFILE"]
    if remembered and remembered in available:
        return remembered
    if "default" in available:
        return "default"
    return None
