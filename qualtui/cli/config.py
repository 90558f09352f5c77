"""The parsed shared options turned into the AppConfig every command starts from."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from qualtui.cli.demo_registry import is_demo_server
from qualtui.cli.usage import UsageError
from qualtui.core import paths, settings
from qualtui.core.client_settings import (
    DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_READ_TIMEOUT,
    ClientSettings,
)
from qualtui.core.config import AppConfig
from qualtui.core.connection import MTURK_REGION, PRODUCTION, SANDBOX, EndpointPlan
from qualtui.core.history.caps import DEFAULT_LIMIT

if TYPE_CHECKING:
    import argparse


def config_from_args(
    args: argparse.Namespace, saved: settings.LoadedSettings | None = None
) -> AppConfig:
    """Raises UsageError for options that do not go together."""
    saved = saved or settings.LoadedSettings(settings.Settings())
    if args.demo and (args.endpoint_url or args.profile):
        raise UsageError("--demo uses its own endpoint and keys: drop --endpoint-url/--profile")
    if args.fault and not args.demo:
        raise UsageError("--fault applies to the local endpoint: use it with --demo")
    remembered = saved.settings.environment
    environment = remembered if remembered in (PRODUCTION, SANDBOX) else PRODUCTION
    if args.sandbox:
        environment = SANDBOX
    elif args.region:
        environment = PRODUCTION if args.region == MTURK_REGION else args.region
    if args.ca_bundle and args.no_verify_ssl:
        raise UsageError("--ca-bundle verifies certificates, --no-verify-ssl does not: pick one")
    timeout = args.timeout or DEFAULT_READ_TIMEOUT
    client_settings = ClientSettings(
        max_attempts=args.max_attempts,
        connect_timeout=args.connect_timeout or min(DEFAULT_CONNECT_TIMEOUT, timeout),
        read_timeout=timeout,
        verify=verification(args.ca_bundle, args.no_verify_ssl),
    )
    data_dir = paths.data_dir(args.data_dir)
    # a `qualtui demo-server` on this machine: its lookups are demo lookups too
    demo_history = args.demo or is_demo_server(data_dir, args.endpoint_url)
    return AppConfig(
        history_path=paths.history_path(data_dir, demo=demo_history),
        profile=args.profile,
        environment=environment,
        endpoints=EndpointPlan(override=args.endpoint_url),
        client_settings=client_settings,
        history_limit=(
            args.history_limit
            if args.history_limit is not None
            else saved.settings.history_limit
            if saved.settings.history_limit is not None
            else DEFAULT_LIMIT
        ),
        history_cap=saved.settings.history_limit or None,
        notices=saved.problems,
        settings=saved.settings,
        settings_path=settings.settings_path(),
        read_only=bool(getattr(args, "read_only", False) or saved.settings.read_only),
    )


def verification(ca_bundle: str | None, no_verify_ssl: bool) -> bool | str | None:
    """ClientSettings.verify: False, a CA bundle's path, or None (botocore's own choice,
    which reads AWS_CA_BUNDLE and ca_bundle in the profile)."""
    if no_verify_ssl:
        return False
    if ca_bundle:
        return str(Path(ca_bundle).expanduser())
    return None


def load_config(args: argparse.Namespace) -> AppConfig:
    """config_from_args with the saved settings; raises UsageError."""
    return config_from_args(args, settings.load(settings.settings_path()))


@contextmanager
def chosen_endpoints(args: argparse.Namespace, config: AppConfig) -> Iterator[AppConfig]:
    """The configured service, or (with --demo) the local demo endpoints for as long as the
    command runs: every command runs inside this."""
    if not args.demo:
        yield config
        return
    from qualtui.demo import demo_config

    with demo_config(config, args.fault) as demo:
        yield demo
