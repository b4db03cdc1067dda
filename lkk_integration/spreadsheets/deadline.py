"""The deadline in view: what every cabinet page says of the period's close, and the warning
before it over a checked file not yet sent (docs/spec.md §0, §2, §11)."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lkk_integration.core import Core
from lkk_integration.readings.period import Deadline, current_period, deadline_of
from lkk_integration.spreadsheets.buffer import UnsentBuffer, open_buffer, unsent_view


@dataclass(frozen=True)
class DeadlineInView:
    """The period's bounds now, and the file the warning is about (None: no warning)."""

    deadline: Deadline
    unsent: UnsentBuffer | None = None


def deadline_in_view(core: Core, organization_id: int) -> DeadlineInView:
    """The period's close (or next opening) for the header of every cabinet page, and, from
    config.deadline_warning_hours before the close, the organization's checked buffer not yet
    sent with its counts (docs/spec.md §0, §11). One transaction; the buffer is looked at only
    inside the warning time."""
    with core.uow() as uow:
        session = uow.session
        period = current_period(session, core)
        deadline = deadline_of(period)
        hours = core.config.deadline_warning_hours
        if not (hours and deadline.is_open and deadline.remaining <= dt.timedelta(hours=hours)):
            return DeadlineInView(deadline)
        upload = open_buffer(session, core, organization_id, period)
        if upload is not None and upload.sent_at is not None:
            upload = None  # sent: its wrong rows left are no file waiting (docs/spec.md §11.1)
        waiting = upload and unsent_view(session, upload, deadline.last_day)
        if waiting is not None and waiting.sent_before is not None:
            waiting = None  # the same file was sent this period: nothing is lost at the close
        return DeadlineInView(deadline, waiting)
