"""A session's room frames leave every process in seq order.

Each room push takes the next seq under the session's row lock, so seqs follow commit order.
The send happens after commit, outside the lock: with several processes, seq 6 committed on
one process could reach Redis before seq 5 from another, and every browser would see a gap
and fetch a fresh snapshot. So before sending seq n a process waits (briefly) until n - 1 has
been sent, and records n once sent. One process alone (the embedded, in-memory layer) sends
its frames in commit order already, and skips this.

On the pub/sub layer a change's frames go in one round trip (`publish_in_turn`): a script
checks the turn, publishes the batch and records its last seq at once, so nothing can come
between the check and the record, and the wait (a poll) happens only when the turn has not come.
"""

import logging
import time
from functools import cache

import redis
from django.conf import settings
from redis.commands.core import Script

logger = logging.getLogger("comhla.realtime")

# Long enough for another process's send after its commit (a Redis round trip, under load a
# few milliseconds); short enough that a process that died between commit and send holds its
# room up for only a moment (the browsers then see the gap and fetch a snapshot).
WAIT_FOR_TURN_SECONDS = 0.25
POLL_SECONDS = 0.002
# Only near-simultaneous sends need ordering: the record may be forgotten soon after.
RECORD_SECONDS = 120

# Record seq n as sent, unless a later seq has been recorded already.
_RECORD_SENT = """
local sent = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > sent then
  redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
return 1
"""

# Publish a batch if its turn has come (or it is told to go anyway) and record its last seq.
# KEYS[1]: the session's last sent seq, absent for a batch without room frames.
# ARGV: the batch's first seq, its last, the record's lifetime, "1" to go even out of turn,
# then each frame's channel and payload. Returns -1 once published, else the seq last sent.
_PUBLISH_IN_TURN = """
if #KEYS == 1 and ARGV[4] == '0' then
  local sent = redis.call('GET', KEYS[1])
  if sent and tonumber(sent) < tonumber(ARGV[1]) - 1 then
    return tonumber(sent)
  end
end
for i = 5, #ARGV, 2 do
  redis.call('PUBLISH', ARGV[i], ARGV[i + 1])
end
if #KEYS == 1 then
  local sent = tonumber(redis.call('GET', KEYS[1]) or '0')
  if tonumber(ARGV[2]) > sent then
    redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  end
end
return -1
"""


def ordering_needed() -> bool:
    """Frames cross processes (Redis) only when Redis carries them."""
    return bool(settings.REDIS_URL)


@cache
def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=1, socket_connect_timeout=1)


@cache
def _record_sent_script(url: str) -> Script:
    # Sent by its hash (EVALSHA), not its text, each time; reloaded by itself if Redis forgot it.
    return _client(url).register_script(_RECORD_SENT)


@cache
def _publish_script(client: redis.Redis) -> Script:
    return client.register_script(_PUBLISH_IN_TURN)


def _key(session_id: int) -> str:
    return f"{settings.CHANNEL_PREFIX}:room-sent:{session_id}"


def wait_for_turn(session_id: int, seq: int, client: redis.Redis | None = None) -> None:
    """Return once seq - 1 of this session has been sent (or the wait is over)."""
    client = client or _client(settings.REDIS_URL)
    key = _key(session_id)
    deadline = time.monotonic() + WAIT_FOR_TURN_SECONDS
    try:
        while True:
            sent = client.get(key)
            if sent is None or int(sent) >= seq - 1:
                return
            if time.monotonic() >= deadline:
                logger.warning("room %s: seq %s sent without %s", session_id, seq, int(sent) + 1)
                return
            time.sleep(POLL_SECONDS)
    except redis.RedisError:
        # Without Redis the send fails too; the browsers' resync covers whatever is lost.
        logger.warning("room %s: could not check the order of seq %s", session_id, seq)


def record_sent(session_id: int, seq: int) -> None:
    """Say seq of this session has been sent, so the next may go."""
    try:
        _record_sent_script(settings.REDIS_URL)(keys=[_key(session_id)], args=[seq, RECORD_SECONDS])
    except redis.RedisError:
        logger.warning("room %s: could not record seq %s as sent", session_id, seq)


def publish_in_turn(
    client: redis.Redis,
    publications: list[tuple[str, bytes]],
    *,
    session_id: int | None = None,
    seqs: tuple[int, int] = (0, 0),
) -> None:
    """Publish (channel, payload) pairs in one round trip, after the frame before the first of
    `seqs` (the batch's first and last room seq) when a session is given; raises RedisError."""
    script = _publish_script(client)
    keys = [_key(session_id)] if session_id is not None else []
    payload = [part for publication in publications for part in publication]
    first, last = seqs
    published = script(keys=keys, args=[first, last, RECORD_SECONDS, 0, *payload], client=client)
    if published == -1 or session_id is None:
        return
    # Another process has not sent the frame before this batch yet: wait for it (or not long),
    # then go whatever happened, as a lone sender would.
    wait_for_turn(session_id, first, client)
    script(keys=keys, args=[first, last, RECORD_SECONDS, 1, *payload], client=client)
