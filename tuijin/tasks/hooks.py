"""Where other capabilities plug into the task engine without the engine knowing them.

Each list holds functions that apps register in their `AppConfig.ready()`. They run inside the same transaction
as the write that triggered them, so a failure rolls the write back.

- `after_status_refresh(tasks, now)`: the given tasks' statuses were just recomputed (supervision syncs warnings).
- `after_report(report)`: a progress report was saved with its evidence (supervision runs evidence checks).
- `measured_elsewhere(task) -> bool`: True when the task's figures are computed elsewhere (自动统计, e.g. bound to
  the investment pipeline), so reports must not type a percentage or a value for it.
"""

import datetime
from collections.abc import Callable

after_status_refresh: list[Callable[[list, datetime.datetime], None]] = []
after_report: list[Callable[[object], None]] = []
measured_elsewhere: list[Callable[[object], bool]] = []
