"""The connection bar: which profile and environment the next lookup will use.

Its two pickers are mounted after the main screen's first frame (`mount_pickers`): until
then the bar says what it knows (the endpoint, the mode) and answers for the choice it
was given, so a lookup typed at once goes where the pickers will say."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Select, Static

from qualtui.core.connection import (
    OTHER_REGIONS,
    PRODUCTION,
    SANDBOX,
    EndpointPlan,
    environment_label,
    plaintext_warning,
    redirect_notice,
    region_warning,
)
from qualtui.core.profiles import ProfileList
from qualtui.core.redact import without_userinfo
from qualtui.core.text import one_line, printable

if TYPE_CHECKING:
    from qualtui.core.account import AccountCheck

ENV_CREDENTIALS = ""  # the Select value for "no profile: environment credentials"


class ConnectionBar(Horizontal):
    """Profile and environment pickers, with what they imply written beside them, and the
    result of the connection check (GetAccountBalance) for the current choice."""

    class Changed(Message):
        """The user picked another profile or environment."""

        def __init__(self, profile: str | None, environment: str) -> None:
            super().__init__()
            self.profile = profile
            self.environment = environment

    def __init__(
        self,
        profile: str | None,
        environment: str,
        endpoints: EndpointPlan,
        *,
        demo: bool = False,
        read_only: bool = False,
        tls_unverified: bool = False,
    ) -> None:
        super().__init__(id="connection-bar")
        self._read_only = read_only
        self._tls_unverified = tls_unverified
        self._endpoints = endpoints
        self._demo = demo
        self._profiles = ProfileList(())
        self.profiles_read = False  # the AWS config's profiles are in the list (read in a thread)
        self._initial_profile = profile
        self._environments = [PRODUCTION, SANDBOX, *OTHER_REGIONS]
        if environment not in self._environments:
            self._environments.append(environment)
        self._check: AccountCheck | None = None
        self._checking = False
        # The choice while the pickers are not mounted yet (then they hold it).
        self._profile_choice: str | None = profile
        self._environment_choice = environment
        self._pickers: tuple[Select[str], Select[str]] | None = None

    def compose(self) -> ComposeResult:
        writes = "read-only" if self._read_only else "writes on"
        yield Static(writes, id="writes-mode", classes=f"-{writes.replace(' ', '-')}")
        yield Static(id="connection-note", markup=False)

    def on_mount(self) -> None:
        self._update_note()

    async def mount_pickers(self) -> None:
        """Mount the profile and environment pickers (after the first frame), showing the
        choice made so far."""
        if self._pickers is not None:
            return
        from qualtui.widgets.picker import Picker

        profile = Picker(
            self._profile_options(self._profile_choice),
            value=self._profile_choice or ENV_CREDENTIALS,
            id="profile",
            disabled=self._demo,
        )
        profile.border_title = "Profile"
        environment = Picker(
            self._environment_options(), value=self._environment_choice, id="environment"
        )
        environment.border_title = "Environment"
        self._pickers = (profile, environment)
        await self.mount_all(self._pickers, before=0)

    # ------------------------------------------------------------------ state

    @property
    def profile(self) -> str | None:
        if self._demo:
            return None
        if self._pickers is None:
            return self._profile_choice
        value = self._pickers[0].value
        return value if isinstance(value, str) and value != ENV_CREDENTIALS else None

    @property
    def profile_names(self) -> tuple[str, ...]:
        return () if self._demo else tuple(self._profiles.names)

    @property
    def environment(self) -> str:
        if self._pickers is None:
            return self._environment_choice
        value = self._pickers[1].value
        return value if isinstance(value, str) else PRODUCTION

    def set_profiles(self, profiles: ProfileList, preferred: str | None) -> None:
        """Fill the profile list, keeping the current choice (or taking `preferred`)."""
        self.profiles_read = True
        if self._demo:
            return
        self._profiles = profiles
        current = self.profile or preferred
        self._profile_choice = current
        if self._pickers is not None:
            select = self._pickers[0]
            with self.prevent(Select.Changed):
                select.set_options(self._profile_options(current))
                select.value = current or ENV_CREDENTIALS
        self._update_note()

    def choose(self, profile: str | None, environment: str) -> list[str]:
        """Select a profile and environment (e.g. from history). Returns what could not be."""
        problems: list[str] = []
        if not self._demo:
            if profile is None or profile in self._profiles.names:
                self._profile_choice = profile
                if self._pickers is not None:
                    self._pickers[0].value = profile or ENV_CREDENTIALS
            else:
                problems.append(f"profile {profile!r} no longer exists; kept the current one")
        if environment not in self._environments:
            self._environments.append(environment)
            if self._pickers is not None:
                self._pickers[1].set_options(self._environment_options())
        self._environment_choice = environment
        if self._pickers is not None:
            self._pickers[1].value = environment
        self._update_note()
        return problems

    # ------------------------------------------------------------------ rendering

    def _profile_options(self, extra: str | None = None) -> list[tuple[Text, str]]:
        if self._demo:
            return [(Text("demo (local keys)"), ENV_CREDENTIALS)]
        names = list(self._profiles.names)
        for name in (self._initial_profile, extra):
            if name and name not in names:
                names.append(name)
        options = [(Text("(environment credentials)"), ENV_CREDENTIALS)]
        for name in names:
            label = Text(one_line(name))
            facts = self._profiles.facts(name) if name in self._profiles.names else "not found"
            label.append(f"  {one_line(facts)}", style="dim")
            options.append((label, name))
        return options

    def _environment_options(self) -> list[tuple[Text, str]]:
        """Production and Sandbox first; the regions without MTurk after them, dimmed."""
        options: list[tuple[Text, str]] = []
        for environment in self._environments:
            serves = environment in (PRODUCTION, SANDBOX)
            label = Text(one_line(environment_label(environment)), style="" if serves else "dim")
            options.append((label, environment))
        return options

    def on_select_changed(self, event: Select.Changed) -> None:
        event.stop()
        self._profile_choice, self._environment_choice = self.profile, self.environment
        self._check = None
        self._update_note()
        self.post_message(self.Changed(self.profile, self.environment))

    def show_checking(self) -> None:
        self._check, self._checking = None, True
        self._update_note()

    def show_check(self, check: AccountCheck) -> None:
        self._check, self._checking = check, False
        self._update_note()

    @property
    def check(self) -> AccountCheck | None:
        return self._check

    @property
    def checking(self) -> bool:
        return self._checking

    def _check_line(self) -> list[str | tuple[str, str]]:
        """The verdict, and the fix with its key when there is one: one line
        ("✗ SSO session expired · F6: aws sso login --profile x")."""
        check = self._check
        if self._checking:
            return [("… checking the connection", "$text-muted")]
        if check is None:
            return []
        if check.failure is None:
            balance = printable(check.balance or "")
            return [("✓ Connected", "$text-success"), f" · balance {balance}"]
        failure = check.failure
        style = "$text-warning" if failure.severity != "error" else "$text-error"
        line: list[str | tuple[str, str]] = [(f"✗ {one_line(failure.title)}", style)]
        if failure.command:
            line += [  # the key before the command: a cut line keeps the key
                (" · F6: ", "$text-muted"),
                (one_line(failure.command), "bold"),
            ]
        return line

    def _update_note(self) -> None:
        """The verdict, then each warning, then the endpoint: the note is cut at three lines
        (one on a narrow screen with no warning), so what matters most comes first."""
        environment = self.environment
        url = self._endpoints.url_for(environment)
        parts: list[str | tuple[str, str]] = []
        check_line = self._check_line()
        if check_line:
            parts += [*check_line, "\n"]
        warnings = [
            w for w in (region_warning(environment), plaintext_warning(url)) if w is not None
        ]
        if not self._demo and not self._profiles.names and self.profile is None:
            warnings.append("No AWS profiles found: using environment credentials.")
        if self.profile and self._profiles.names and self.profile not in self._profiles.names:
            warnings.append(f"Profile {self.profile!r} is not in the AWS config files.")
        warnings.extend(self._profiles.problems)
        if self._tls_unverified:
            warnings.append("TLS certificates are not verified (--no-verify-ssl).")
        check = self.check
        if check is not None and check.connection.environment == environment:
            redirected = redirect_notice(check.connection, check.endpoint_url)
            if redirected:  # AWS_ENDPOINT_URL(_MTURK) or the profile sends it elsewhere
                warnings.append(redirected)
        for warning in warnings:
            parts += [(f"⚠ {one_line(warning)}", "$text-warning"), "\n"]
        if self._demo:
            parts += [(" DEMO ", "bold reverse $warning"), " local endpoint, made-up data"]
        else:
            parts += [
                ("Endpoint ", "$text-muted"),
                one_line(without_userinfo(url)) if url else "AWS default",
            ]
        self.query_one("#connection-note", Static).update(Content.assemble(*parts))
        self.set_class(bool(warnings), "-alert")
        self.set_class(bool(warnings) or bool(check_line), "-warning")
