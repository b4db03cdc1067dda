"""The meter lock every save and delete of a submitted reading takes first, manual entry and
the file channel alike: concurrent submissions for one meter queue up and leave exactly one
current reading (docs/spec.md §13.9)."""
from __future__ import annotations

from sqlalchemy import Select, select, update
from sqlalchemy.orm import Session

from lkk_integration.models import Meter


def lock_meters(session: Session, meter_ids: Select | list[int]) -> None:
    """Lock the meters' rows to the end of the transaction, in id order (no deadlock between
    two lockers). Every save or delete of a submitted reading takes this lock first, so
    concurrent submissions for one meter queue up and each reads what the one before wrote.

    SQLite ignores FOR UPDATE; for a list of meters (manual entry) a write that changes
    nothing takes its database-wide write lock now, before the reads that follow (a file's
    send has already written its buffer's status by then)."""
    if session.get_bind().dialect.name == "sqlite":
        if isinstance(meter_ids, list):
            session.execute(update(Meter).where(Meter.id.in_(meter_ids))
                            .values(archived_at=Meter.archived_at))
        return
    session.execute(select(Meter.id).where(Meter.id.in_(meter_ids)).order_by(Meter.id)
                    .with_for_update()).all()
