"""The network of 10 of 40 people cut for 10 s; daphne restarted under everyone."""

import asyncio
from typing import Any

import pytest

from tests.browser.tcp_proxy import TcpProxy
from tests.faults.conftest import Stack, make_room
from tests.faults.harness import chromium_phones
from tests.faults.scenario import clients_for, run_fault

pytestmark = pytest.mark.faults

PEOPLE = 40
CUT = 10


def test_ten_of_forty_lose_their_network_for_ten_seconds(
    stack: Stack, record_property: Any
) -> None:
    """Eight imitation phones and two real Chromium pages lose their network; thirty stay."""
    room = make_room(PEOPLE)
    proxies = [TcpProxy(stack.server.port) for _ in range(PEOPLE)]
    cut_clients, cut_phones = CUT - 2, 2
    clients = clients_for(room, [p.port for p in proxies[: PEOPLE - cut_phones]])
    phone_proxies = proxies[PEOPLE - cut_phones :]

    async def cut() -> None:
        for proxy in [*proxies[:cut_clients], *phone_proxies]:
            proxy.cut()
        await asyncio.sleep(10)
        for proxy in [*proxies[:cut_clients], *phone_proxies]:
            proxy.restore()

    async def scenario() -> Any:
        async with chromium_phones(
            room.session.pk,
            [f"http://127.0.0.1:{p.port}" for p in phone_proxies],
            room.cookies[PEOPLE - cut_phones :],
        ) as phones:
            return await run_fault(
                room,
                clients,
                fault=cut,
                recover_within=5,
                watched=clients[:cut_clients],
                phones=phones,
            )

    try:
        outcome = asyncio.run(scenario())
    finally:
        for proxy in proxies:
            proxy.close()
    assert all(c.connections >= 2 for c in clients[:cut_clients]), "the cut clients reconnected"
    assert all(c.connections == 1 for c in clients[cut_clients:]), "the others never noticed"
    record_property("recovered_after_s", round(outcome.recovered_after, 2))
    print(
        f"\n10 of 40 cut for 10 s: equal after {outcome.recovered_after:.2f} s; "
        f"{outcome.posts} ideas, answers {dict(outcome.answers)}"
    )


def test_daphne_restarted(stack: Stack, record_property: Any) -> None:
    """38 imitation phones and 2 real Chromium pages; the server stops and starts again."""
    room = make_room(PEOPLE)
    clients = clients_for(room, [stack.server.port] * (PEOPLE - 2))

    async def restart() -> None:
        await asyncio.to_thread(stack.restart_server)

    async def scenario() -> Any:
        async with chromium_phones(
            room.session.pk, [stack.server.url] * 2, room.cookies[PEOPLE - 2 :]
        ) as phones:
            return await run_fault(
                room,
                clients,
                fault=restart,
                recover_within=3,
                phones=phones,
                quiet_during_fault=True,
            )

    outcome = asyncio.run(scenario())
    assert all(c.connections >= 2 for c in clients)
    record_property("recovered_after_s", round(outcome.recovered_after, 2))
    print(
        f"\ndaphne restarted: every client back and equal {outcome.recovered_after:.2f} s after "
        f"it answered; {outcome.posts} ideas, answers {dict(outcome.answers)}"
    )
