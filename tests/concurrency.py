"""Many people pressing at the same moment, over HTTP: each thread its own client and
database connection, all released together by a barrier (SQLite and PostgreSQL alike)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connections
from django.test import Client


def signed_in_clients(users: list[Any]) -> list[Client]:
    """One signed-in browser per user (the same user may appear more than once: two tabs)."""
    clients = []
    for user in users:
        client = Client()
        client.force_login(user)
        clients.append(client)
    return clients


def at_once(clients: list[Client], press: Callable[[int, Client], Any]) -> list[Any]:
    """Call press(i, client) for every client at the same moment; return what each got back."""
    barrier = threading.Barrier(len(clients))
    results: list[Any] = [None] * len(clients)

    def run(i: int, client: Client) -> None:
        try:
            barrier.wait(timeout=10)
            results[i] = press(i, client)
        except Exception as exc:  # the assertion names it; a thread must not die silently
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads), "a request never finished"
    return results
