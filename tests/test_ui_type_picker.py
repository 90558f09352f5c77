"""F5, the type picker, built as `qualtui` builds the app: it says which environment and
profile it lists, and its names and IDs stand in aligned columns that never wrap."""

from __future__ import annotations

from textual.widgets import OptionList, Static

from qualtui.app import QualtuiApp
from qualtui.dialogs.type_picker import TypePickerScreen
from qualtui.endpoint import LocalMTurk
from tests.apphelpers import ready, running
from tests.conftest import Isolation, until


async def open_picker(app: QualtuiApp) -> TypePickerScreen:
    await until(lambda: isinstance(app.screen, TypePickerScreen))
    picker = app.screen
    assert isinstance(picker, TypePickerScreen)
    await until(lambda: picker.loaded is not None)
    return picker


def labels(picker: TypePickerScreen) -> list[str]:
    option_list = picker.query_one("#type-list", OptionList)
    return [
        option_list.get_option_at_index(i).prompt.plain  # type: ignore[union-attr]
        for i in range(option_list.option_count)
    ]


async def test_the_picker_says_where_and_aligns_names_and_ids(
    endpoint: LocalMTurk, aws_profiles: Isolation
) -> None:
    first = endpoint.data.qualification_types[0]
    first["Name"] = "[b]Wide[/b]\nname " + "x" * 150  # outside text: literal, one line
    for size in ((120, 36), (60, 20)):
        await check_the_picker_at(endpoint, size, first["QualificationTypeId"])


async def check_the_picker_at(endpoint: LocalMTurk, size: tuple[int, int], wide: str) -> None:
    options = ("--endpoint-url", endpoint.url, "--profile", "default")
    async with running(*options, size=size) as (app, pilot):
        await ready(pilot)
        await pilot.press("f5")
        picker = await open_picker(app)
        where = str(picker.query_one("#type-where", Static).render())
        assert where == "In Production  us-east-1  ·  profile default"
        await until(lambda: len(labels(picker)) > 100)
        shown = labels(picker)
        assert all("\n" not in label for label in shown), size  # one line each
        ids = [t.id for t in picker.loaded.types]  # type: ignore[union-attr]
        columns = {label.index(type_id) for label, type_id in zip(shown, ids, strict=True)}
        assert len(columns) == 1, size  # every ID starts in the same column
        room = picker.query_one("#type-list", OptionList).scrollable_content_region.width
        assert max(len(label) for label in shown) < room, size  # nothing wraps
        assert shown[ids.index(wide)].startswith("[b]Wide[/b] "), size
