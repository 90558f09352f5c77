"""Locale values as people read them: "US-WA" is ISO 3166 country US (United States) and
ISO 3166-2 subdivision WA (Washington). Names come from pycountry's ISO tables, loaded on
first use (about 0.1 s: the app warms them up off the UI thread after the first frame).

A code from the service that ISO does not know is shown as it came (made safe), never as an
error: the name is a help, not a check.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from qualtui.core.models import Locale


def warm_up() -> None:
    """Load the ISO tables now (call from a worker thread)."""
    from qualtui.core.models import Locale

    locale_name(Locale("US", "WA"))


@functools.lru_cache(maxsize=512)
def locale_name(locale: Locale) -> str | None:
    """ "United States, Washington" for US-WA; None when the country code is unknown."""
    import pycountry

    country = pycountry.countries.get(alpha_2=locale.country.upper())
    if country is None:
        return None
    name = str(getattr(country, "common_name", None) or country.name)
    if not locale.subdivision:
        return name
    code = f"{country.alpha_2}-{locale.subdivision}"
    subdivision = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    return f"{name}, {subdivision.name}" if subdivision is not None else name
