"""The command line: flags, one-line errors, the demo server, and no tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import boto3
import pytest

from qualtui import __version__, cli
from qualtui.core.connection import PRODUCTION, SANDBOX
from tests.conftest import Isolation, demo_server_process


def config(*argv: str):  # type: ignore[no-untyped-def]
    return cli.config_from_args(cli.build_parser().parse_args(list(argv)))


def test_connection_flags_map_to_the_config(isolated: Isolation) -> None:
    assert config().environment == PRODUCTION
    assert config("--sandbox").environment == SANDBOX
    assert config("--region", "us-east-1").environment == PRODUCTION
    assert config("--region", "eu-west-1").environment == "eu-west-1"
    c = config("--profile", "research", "--endpoint-url", "http://127.0.0.1:8443/")
    assert c.profile == "research" and c.endpoints.url_for(SANDBOX) == "http://127.0.0.1:8443"
    assert config("--timeout", "2").client_settings.connect_timeout == 2
    assert config("--max-attempts", "7").client_settings.max_attempts == 7
    assert config("--connect-timeout", "1.5").client_settings.connect_timeout == 1.5
    assert config().client_settings.verify is None  # botocore's: AWS_CA_BUNDLE, the profile
    assert config("--no-verify-ssl").client_settings.verify is False
    bundle = config("lookup", "T", "A1", "--ca-bundle", "~/corp.pem").client_settings.verify
    assert bundle == str(Path("~/corp.pem").expanduser())
    with pytest.raises(cli.UsageError):
        config("--ca-bundle", "x.pem", "--no-verify-ssl")


def test_data_dir_flag_env_and_demo_file(isolated: Isolation, tmp_path: Path) -> None:
    assert config().history_path == isolated.data_dir / "history.json"
    assert config("--data-dir", str(tmp_path / "x")).history_path == tmp_path / "x" / "history.json"
    assert config("--demo").history_path.name == "demo-history.json"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--region", "mars"], "not an AWS region name"),
        (["--endpoint-url", "ftp://x"], "not an http:// or https:// URL"),
        (["--timeout", "-1"], "between 0 and 3600"),
        (["--max-attempts", "zero"], "not a whole number"),
        (["--history-limit", "-5"], "must be 0 or more"),
        (["--sandbox", "--region", "us-east-2"], "not allowed with argument"),
        (["--demo", "--endpoint-url", "http://127.0.0.1:1"], "--demo uses its own endpoint"),
        (["--nope"], "unrecognized arguments"),
        (["demo-server", "--port", "70000"], "not a port number"),
        (["--fault", "throttle"], "use it with --demo"),
    ],
)
def test_bad_flags_get_one_line_and_exit_2(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and err.startswith("qualtui")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["--version"])
    assert info.value.code == 0 and capsys.readouterr().out.strip() == f"qualtui {__version__}"


def test_unexpected_errors_go_to_the_log_not_the_screen(
    isolated: Isolation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def explode(config: object) -> int:
        raise RuntimeError("secret detail")

    monkeypatch.setattr(cli.app, "run_app", explode)
    assert cli.main([]) == 1
    err = capsys.readouterr().err
    assert "unexpected error (RuntimeError)" in err and "Traceback" not in err
    log = (isolated.state_dir / "qualtui" / "log" / "qualtui.log").read_text()
    assert "Traceback" in log and "secret detail" in log


def test_python_dash_m_and_help() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "qualtui", "--help"], capture_output=True, text=True, timeout=60
    )
    assert out.returncode == 0 and "--sandbox" in out.stdout and "demo-server" in out.stdout


def test_demo_server_serves_the_aws_sdk(isolated: Isolation) -> None:
    with demo_server_process() as (first, url):
        assert "qualtui demo endpoint (production data) at http://127.0.0.1:" in first
        mturk = boto3.session.Session(
            aws_access_key_id="AKIAANY", aws_secret_access_key="any", region_name="us-east-1"
        ).client("mturk", endpoint_url=url)
        assert mturk.get_account_balance()["AvailableBalance"] == "1742.50"


def test_demo_server_fault_flags_reach_the_sdk(isolated: Isolation) -> None:
    import botocore.config
    import botocore.exceptions

    faults = (
        "--fault",
        "throttle:op=GetAccountBalance",
        "--fault",
        "error:worker=A1GRANTEDWORKER,code=RequestError,message=Chosen, with a comma",
    )
    with demo_server_process(*faults) as (_, url):
        mturk = boto3.session.Session(
            aws_access_key_id="AKIAANY", aws_secret_access_key="any", region_name="us-east-1"
        ).client(
            "mturk",
            endpoint_url=url,
            config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 2}),
        )
        with pytest.raises(botocore.exceptions.ClientError) as throttled:
            mturk.get_account_balance()
        assert throttled.value.response["Error"]["Code"] == "ThrottlingException"
        with pytest.raises(botocore.exceptions.ClientError) as chosen:
            mturk.get_qualification_score(
                QualificationTypeId="3DEMOTRANSCRIBE000000000000001", WorkerId="A1GRANTEDWORKER"
            )
        assert chosen.value.response["Error"]["Message"] == "Chosen, with a comma"
        ok = mturk.get_qualification_score(
            QualificationTypeId="3DEMOTRANSCRIBE000000000000001", WorkerId="A3ZEROSCOREWORKER"
        )
        assert ok["Qualification"]["IntegerValue"] == 0


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("bogus", "unknown fault 'bogus'"),
        ("throttle:rate=2", "bad value for rate"),
        ("latency", "needs delay="),
        ("latency:delay=0.5-0.1", "bad value for delay"),
        ("http_error:status=200", "bad value for status"),
        ("drop:when=now", "unknown fault option 'when'"),
        ("drop:times", "expected key=value"),
    ],
)
def test_bad_fault_specs(spec: str, message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        cli.main(["demo-server", "--fault", spec])
    assert info.value.code == 2 and message in capsys.readouterr().err


def test_fault_specs_parse_into_faults() -> None:
    from qualtui.endpoint import Fault

    assert Fault.parse("latency:delay=0.1-0.3,op=GetQualificationScore") == Fault(
        "latency", operation="GetQualificationScore", delay=0.1, delay_max=0.3
    )
    assert Fault.parse("service-fault:times=2,rate=0.5") == Fault(
        "service_fault", times=2, rate=0.5
    )
    assert Fault.parse("error:code=X,turk-code=AWS.Y,message=a=b, c") == Fault(
        "error", code="X", turk_error_code="AWS.Y", message="a=b, c"
    )
