"""Tamper evidence: a SHA-256 hash chain over the stored event records (catalogue GDPR-5).

Every stored event record gets one link, in notification (commit) order::

    link_0 = SHA-256("ideation hash chain v1")                      (the genesis value)
    link_n = SHA-256(link_{n-1} ‖ position ‖ originator ‖ version ‖ topic ‖ SHA-256(state))

- `position` is the record's notification id and `version` its originator version, each as
  8 bytes, big-endian, signed;
- `originator` (the aggregate id as lower-case hyphenated UUID text) and `topic` are UTF-8,
  each preceded by its length as 4 bytes, big-endian;
- `state` is the stored bytes exactly as the event table holds them (after any compression
  or encryption), so erasing a key never changes a link;
- `link_{n-1}` and SHA-256(state) are the raw 32-byte digests.

The projector appends the links of each batch to `rm_chain` in the batch's own transaction
(`extend_chain`), so the chain is maintained exactly once like every read model and is
replayed by a rebuild. `verify_chain` recomputes the chain from the event table, through the
event store's own reader, and compares it with the stored links: it names the first position
where a record was changed, removed, inserted or moved. A rebuild (or anybody able to write
the database) can recompute the stored chain, so the head is printed on exports and reports
for auditors to keep outside the system; `verify_chain(expected=…)` checks such a kept head.
See docs/adr/0005-tamper-evident-hash-chain.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator, Sequence
from typing import Any
from uuid import UUID

from eventsourcing.persistence import ApplicationRecorder, Notification
from sqlalchemy import func, insert, select
from sqlalchemy.engine import Connection

from ideation.domain.errors import Message, msg
from ideation.readmodels.tables import chain
from ideation.readmodels.views import ChainBreak, ChainHead, ChainVerification

GENESIS = hashlib.sha256(b"ideation hash chain v1").digest()
DEFAULT_BATCH_SIZE = 2000

Progress = Callable[[int, int], None]  # (position checked, head position)

# What a break means, by kind (German; `msg` keeps the template for the English page).
CHANGED = "changed"  # the record at the position differs from the one chained there
REMOVED = "removed"  # the record chained at the position is gone
INSERTED = "inserted"  # a record stands at the position that was never chained there
MOVED = "moved"  # the record at the position was chained at another position
CHAIN = "chain"  # the record is unchanged, but the stored link was altered


def _int8(value: int) -> bytes:
    return int(value).to_bytes(8, "big", signed=True)


def _text(value: str) -> bytes:
    data = value.encode("utf-8")
    return len(data).to_bytes(4, "big") + data


def originator_text(originator_id: UUID | str) -> str:
    """The aggregate id as the chain covers it: the canonical UUID text, else the id itself."""
    if isinstance(originator_id, UUID):
        return str(originator_id)
    try:
        return str(UUID(str(originator_id)))
    except ValueError:
        return str(originator_id)


def record_body(originator_id: UUID | str, version: int, topic: str, state: bytes) -> bytes:
    """originator ‖ version ‖ topic ‖ SHA-256(state): the part of a link a record gives."""
    return (
        _text(originator_text(originator_id))
        + _int8(version)
        + _text(topic)
        + hashlib.sha256(bytes(state)).digest()
    )


def record_digest(body: bytes) -> bytes:
    """SHA-256 of a record's body (without its position): tells a moved record from a new one."""
    return hashlib.sha256(body).digest()


def next_link(previous: bytes, position: int, body: bytes) -> bytes:
    """link_n from link_{n-1}, the record's position and its body."""
    return hashlib.sha256(previous + _int8(position) + body).digest()


def notification_body(notification: Notification) -> bytes:
    return record_body(
        notification.originator_id,
        notification.originator_version,
        notification.topic,
        notification.state,
    )


# -- maintaining the chain (inside the projector's batch transaction) ------------------------


def extend_chain(conn: Connection, records: Sequence[tuple[Notification, dt.datetime]]) -> None:
    """Append the links of `records` (notification, event time), in notification order.

    Runs in the projector's batch transaction after the tracking row is locked, so the
    previous link read here is the last one committed, and each record is chained once.
    """
    if not records:
        return
    last = conn.execute(select(chain.c.link).order_by(chain.c.position.desc()).limit(1)).scalar()
    previous = bytes.fromhex(last) if last else GENESIS
    rows: list[dict[str, Any]] = []
    for notification, occurred_at in records:
        body = notification_body(notification)
        previous = next_link(previous, notification.id, body)
        rows.append(
            {
                "position": notification.id,
                "link": previous.hex(),
                "record": record_digest(body).hex(),
                "occurred_at": occurred_at,
            }
        )
    conn.execute(insert(chain), rows)


# -- reading it ----------------------------------------------------------------------------


def chain_head(conn: Connection) -> ChainHead:
    """The last link with its position and the time of its event (genesis when empty)."""
    row = conn.execute(
        select(chain.c.position, chain.c.link, chain.c.occurred_at)
        .order_by(chain.c.position.desc())
        .limit(1)
    ).first()
    length = conn.execute(select(func.count()).select_from(chain)).scalar_one()
    if row is None:
        return ChainHead(position=0, link=GENESIS.hex(), occurred_at=None, length=0)
    return ChainHead(
        position=row.position, link=row.link, occurred_at=row.occurred_at, length=length
    )


def _stored_links(conn: Connection, stop: int, batch_size: int) -> Iterator[Any]:
    """The chain's rows up to `stop`, in position order, page by page."""
    after: int | None = None
    while True:
        query = select(chain.c.position, chain.c.link, chain.c.record).where(
            chain.c.position <= stop
        )
        if after is not None:
            query = query.where(chain.c.position > after)
        rows = conn.execute(query.order_by(chain.c.position).limit(batch_size)).all()
        yield from rows
        if len(rows) < batch_size:
            return
        after = rows[-1].position


def _stored_records(
    recorder: ApplicationRecorder, stop: int, batch_size: int, start: int | None = None
) -> Iterator[Notification]:
    """The event table's records up to `stop`, in notification order, as the store reads them."""
    inclusive = True
    while True:
        batch = recorder.select_notifications(
            start=start, limit=batch_size, stop=stop, inclusive_of_start=inclusive
        )
        yield from batch
        if len(batch) < batch_size:
            return
        start, inclusive = batch[-1].id, False


def verify_chain(
    conn: Connection,
    recorder: ApplicationRecorder,
    *,
    expected: tuple[int, str] | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    progress: Progress | None = None,
) -> ChainVerification:
    """Recompute the chain from the event table and compare it with the stored links.

    Walks the stored records and the stored links together in position order, up to the
    chain's head (records stored after it are not chained yet), and stops at the first
    difference. `expected` is a (position, link hex) pair kept outside the system: the
    recomputed link at that position must equal it.
    """
    head = chain_head(conn)
    records = _stored_records(recorder, head.position, batch_size)
    links = _stored_links(conn, head.position, batch_size)
    record = next(records, None)
    link = next(links, None)
    previous = GENESIS
    checked = 0
    expected_position, expected_link = expected if expected else (None, None)
    expected_matches: bool | None = None  # set when the walk reaches the kept position
    broken: ChainBreak | None = None
    while record is not None or link is not None:
        if link is None or (record is not None and record.id < link.position):
            broken = ChainBreak(record.id, INSERTED, None)  # type: ignore[union-attr]
            break
        if record is None or link.position < record.id:
            broken = ChainBreak(link.position, REMOVED, None)
            break
        body = notification_body(record)
        computed = next_link(previous, record.id, body)
        if computed.hex() != link.link:
            broken = _classify(conn, recorder, record, body, link, batch_size)
            break
        if record.id == expected_position:
            expected_matches = computed.hex() == expected_link
        previous = computed
        checked += 1
        if progress is not None and checked % batch_size == 0:
            progress(record.id, head.position)
        record = next(records, None)
        link = next(links, None)
    if progress is not None:
        progress(head.position, head.position)
    if expected is not None and expected_matches is None and broken is None:
        # The walk went through the whole chain without meeting the kept position (it lies
        # past the head, or no record is chained there): the kept value cannot match. Past a
        # break the answer stays unknown; the break is what to report.
        expected_matches = False
    return ChainVerification(
        intact=broken is None and expected_matches is not False,
        checked=checked,
        head=head,
        first_break=broken,
        expected=expected,
        expected_matches=expected_matches,
    )


def _classify(
    conn: Connection,
    recorder: ApplicationRecorder,
    record: Notification,
    body: bytes,
    link: Any,
    batch_size: int,
) -> ChainBreak:
    """Say what happened at a position whose recomputed link differs from the stored one.

    Everything before the position matched, so the previous link is right. Then:
    - the record is the one chained here → the stored link itself was altered;
    - the record was chained elsewhere and the one chained here stands elsewhere → moved
      (two records swapped or the order changed);
    - the record was chained elsewhere, the one chained here is gone → removed (the later
      records were renumbered to close the gap);
    - the record is new, the one chained here stands later → inserted;
    - the record is new, the one chained here is gone → changed.
    """
    digest = record_digest(body).hex()
    if digest == link.record:
        return ChainBreak(record.id, CHAIN, None)
    chained_at = conn.execute(
        select(chain.c.position)
        .where(chain.c.record == digest, chain.c.position != record.id)
        .order_by(chain.c.position)
        .limit(1)
    ).scalar()
    now_at = _current_position(recorder, link.record, after=record.id, batch_size=batch_size)
    if chained_at is not None:
        return ChainBreak(record.id, MOVED if now_at is not None else REMOVED, chained_at)
    return ChainBreak(record.id, INSERTED if now_at is not None else CHANGED, now_at)


_MAX_POSITION = 2**62


def _current_position(
    recorder: ApplicationRecorder, digest: str, *, after: int, batch_size: int
) -> int | None:
    """Where a record with this digest stands now, after position `after` (None: nowhere)."""
    for later in _stored_records(recorder, _MAX_POSITION, batch_size, start=after + 1):
        if record_digest(notification_body(later)).hex() == digest:
            return later.id
    return None


def describe_break(broken: ChainBreak) -> Message:
    """The German sentence for a break (a `Message`, so the page can translate it)."""
    position, other = broken.position, broken.other_position
    if broken.kind == REMOVED and other is not None:
        return msg(
            "An Position %(position)s fehlt ein Datensatz; die folgenden Datensätze wurden "
            "nachgerückt (der hier stehende war an Position %(other)s verkettet).",
            position=position,
            other=other,
        )
    if broken.kind == REMOVED:
        return msg("An Position %(position)s wurde ein Datensatz entfernt.", position=position)
    if broken.kind == INSERTED and other is not None:
        return msg(
            "An Position %(position)s wurde ein Datensatz eingefügt (der hier verkettete steht "
            "jetzt an Position %(other)s).",
            position=position,
            other=other,
        )
    if broken.kind == INSERTED:
        return msg(
            "An Position %(position)s steht ein Datensatz, der nie verkettet wurde (eingefügt).",
            position=position,
        )
    if broken.kind == MOVED:
        return msg(
            "An Position %(position)s steht ein Datensatz, der an Position %(other)s verkettet "
            "wurde: die Reihenfolge wurde verändert (Datensätze vertauscht oder verschoben).",
            position=position,
            other=other,
        )
    if broken.kind == CHAIN:
        return msg(
            "An Position %(position)s ist der Datensatz unverändert, aber der gespeicherte "
            "Kettenwert wurde verändert.",
            position=position,
        )
    return msg("Der Datensatz an Position %(position)s wurde verändert.", position=position)
