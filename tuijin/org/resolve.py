"""Finding the unit a list means by the name it writes: full name, short name, alias, or a tidied form of these.

Lists spell units loosely (“管城区人民政府 ”, “市科技局。”), so after the exact forms a normalised form is
tried. Nothing is guessed beyond that: an unknown name stays unknown, and the closest known name is only
offered as a hint for the person fixing the list.
"""

from __future__ import annotations

import difflib
import re
import unicodedata

from .models import Unit, UnitAlias, UnitKind

_SPACES = re.compile(r"[\s\u3000]+")
_TRAILING = " \t\r\n\u3000,.;:!?、，。；：！？·"


def normalise_unit_name(name: str) -> str:
    """The form two spellings of one unit share: NFKC, no spaces, 人民政府 → 政府, no trailing punctuation."""
    text = unicodedata.normalize("NFKC", name or "")
    text = _SPACES.sub("", text)
    text = text.replace("人民政府", "政府")
    return text.strip(_TRAILING)


def guess_kind(name: str) -> str:
    """The kind a new unit most likely is, from its name (a person can correct it in unit management)."""
    if name.endswith("管委会") or "管理委员会" in name:
        return UnitKind.SECTOR
    if re.search(r"(区|县|市)(人民)?政府$", name) and not name.startswith("市政府"):
        return UnitKind.DISTRICT
    return UnitKind.DEPARTMENT


class UnitResolver:
    """All units and aliases in memory, for resolving many names without a query per name."""

    def __init__(self, units: list[Unit], aliases: list[tuple[str, int]]):
        self.units = units
        by_id = {u.pk: u for u in units}
        self._exact: dict[str, Unit] = {}
        self._normal: dict[str, Unit] = {}
        # Later sources never override earlier ones: a full name beats someone's short name or alias.
        sources: list[tuple[str, Unit]] = [(u.name, u) for u in units]
        sources += [(u.short_name, u) for u in units if u.short_name]
        sources += [(name, by_id[unit_id]) for name, unit_id in aliases if unit_id in by_id]
        for name, unit in sources:
            self._exact.setdefault(name, unit)
        for name, unit in sources:
            self._normal.setdefault(normalise_unit_name(name), unit)
        self._cache: dict[str, Unit | None] = {}

    @classmethod
    def load(cls) -> UnitResolver:
        """Two queries: the units and the aliases."""
        units = list(Unit.objects.order_by("pk"))
        aliases = list(UnitAlias.objects.values_list("name", "unit_id"))
        return cls(units, aliases)

    def resolve(self, name: str) -> Unit | None:
        try:
            return self._cache[name]
        except KeyError:
            pass
        key = (name or "").strip()
        unit = self._exact.get(key) if key else None
        if unit is None and key:
            unit = self._normal.get(normalise_unit_name(key))
        self._cache[name] = unit
        return unit

    def suggest(self, name: str) -> str | None:
        """The known name closest to `name`, to show as a hint — never used to resolve."""
        matches = difflib.get_close_matches(normalise_unit_name(name), list(self._normal), n=1, cutoff=0.6)
        if not matches:
            return None
        return self._normal[matches[0]].name
