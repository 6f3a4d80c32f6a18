"""Access-control matrix entries for the coordination app: URL kwargs for each route and who may use it.

Merged into tests/access_routes.py (KWARGS) and tests/test_access_matrix.py (MATRIX)."""

from __future__ import annotations

KWARGS: dict = {}  # route name → function(world) → URL kwargs
MATRIX: dict = {}  # route name → set of personas (see access_world.PERSONAS), or "public"
