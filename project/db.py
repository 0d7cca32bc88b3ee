"""How the PostgreSQL pool checks a connection before lending it."""

import select

import psycopg
from psycopg.pq import ConnStatus
from psycopg_pool import ConnectionPool


def check_pooled_connection(conn: psycopg.Connection[object]) -> None:
    """Raise if PostgreSQL closed this idle connection (the pool then replaces it).

    psycopg's own check sends a query every time a connection is lent: a round trip for
    every request and two for every socket handshake. An idle connection has nothing to
    read, so a socket with something on it (PostgreSQL's goodbye, or its end of file) is the
    one worth that query; a silent, healthy one costs a poll.
    """
    if conn.closed or conn.pgconn.status != ConnStatus.OK:
        raise psycopg.OperationalError("the connection is closed")
    readable, _, _ = select.select([conn.fileno()], [], [], 0)
    if readable:
        ConnectionPool.check_connection(conn)
