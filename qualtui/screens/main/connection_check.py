"""The main screen's connection: the profiles listed, the chosen profile and environment
checked once per change (never for the one being shown), the choice remembered."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import Select

from qualtui.core import locales, profiles
from qualtui.core.connection import Connection
from qualtui.core.generation import Generation
from qualtui.core.services import Services, owner
from qualtui.screens.main.parts import MainParts
from qualtui.widgets.connection_bar import ConnectionBar

if TYPE_CHECKING:
    from qualtui.core.account import AccountCheck
    from qualtui.core.profiles import ProfileList


class MainConnectionCheck(MainParts):
    # Results from worker threads: each message is posted and handled here.

    class ProfilesLoaded(Message):
        def __init__(self, profiles: ProfileList) -> None:
            super().__init__()
            self.profiles = profiles

    class ConnectionChecked(Message):
        def __init__(self, generation: int, check: AccountCheck) -> None:
            super().__init__()
            self.generation = generation
            self.check = check

    def __init__(self, services: Services) -> None:
        super().__init__(services)
        self._checks = Generation()
        self._checking: Connection | None = None
        self._started = False  # nothing heavy (boto3, a client) before the screen is complete
        self._check_wanted = False

    @work(thread=True, group="startup", exit_on_error=False)
    def _load_profiles(self) -> None:
        self.post_message(self.ProfilesLoaded(profiles.list_profiles()))

    @work(thread=True, group="startup", exit_on_error=False)
    def _warm_up(self) -> None:
        """Import boto3 (and the ISO locale names, what a lookup and a change use) once the
        screen is drawn, so the first lookup or change does not pay for them."""
        from qualtui.core import lookup, qualification_types  # noqa: F401 - the first lookup's
        from qualtui.core.changes import confirmation, record, undo, writes  # noqa: F401 - a change's
        from qualtui.core.client import import_boto3

        import_boto3()
        locales.warm_up()

    @work(thread=True, exclusive=True, group="check", exit_on_error=False)
    def _check_connection(self, generation: int, connection: Connection) -> None:
        from qualtui.core.account import check_account

        check = check_account(self.clients, connection)
        self.post_message(self.ConnectionChecked(generation, check))

    @on(ProfilesLoaded)
    def _profiles_loaded(self, message: ProfilesLoaded) -> None:
        names = message.profiles.names
        self.bar.set_profiles(
            message.profiles,
            profiles.preferred_profile(
                self.config.profile, names, remembered=self.config.settings.profile
            ),
        )
        self._check_when_changed()

    @on(ConnectionBar.Changed)
    def _connection_changed(self, event: ConnectionBar.Changed) -> None:
        if not self.config.demo:
            owner(self.app).keep_settings(profile=event.profile, environment=event.environment)
        self._check_when_changed()

    def _start_checking(self) -> None:
        """Once the screen is complete: boto3 is imported and the connection checked from
        now on (a check asked for before, when the profiles were read first, starts now).
        Not before: its import in a thread would hold the interpreter lock against the
        frames of the start."""
        self._started = True
        self._warm_up()
        if self._check_wanted:
            self._check_wanted = False
            self._check_when_changed()

    def _check_when_changed(self) -> None:
        """Check the chosen connection once per change (never for the one being shown)."""
        if not self._started:
            self._check_wanted = True
            return
        connection = self.config.endpoints.connection(self.bar.profile, self.bar.environment)
        if connection == self._checking:
            return
        self._checking = connection
        self.bar.show_checking()
        self._check_connection(self._checks.next(), connection)

    @on(ConnectionChecked)
    def _connection_checked(self, message: ConnectionChecked) -> None:
        if self._checks.accept(message.generation):
            self.bar.show_check(message.check)
            self.refresh_bindings()

    def switch_environment(self, environment: str) -> None:
        self.bar.choose(self.bar.profile, environment)

    def switch_profile(self, profile: str) -> None:
        self.bar.choose(profile, self.bar.environment)

    def action_focus_connection(self) -> None:
        self.query_one("#environment" if self.config.demo else "#profile", Select).focus()
