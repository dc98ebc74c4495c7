"""Push latency with 50 devices at once, each sending 1-event batches (real uvicorn + Postgres).

Two loads, both bounded and on loopback only:
- paced: each device sends one batch every 0.5 s (120 a minute, the server's default per-device
  rate limit, so the most a real device may send), random phase, for --seconds;
- flat out: each device sends its next batch as soon as the last one is answered (a burst far
  past what the rate limit allows; the server's own limit is lifted for this run).
Baseline in the same run: GET /healthz under the same paced load (the HTTP stack alone).
Last line: paced push p95 and its ratio to the /healthz p95.

    python benchmarks/bench_latency.py [--devices 50] [--seconds 20] [--database-url URL]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
from _common import percentile
from _server import BenchDevice, live_server, org_with_wells, scratch_database, server_url

INTERVAL_S = 0.5


class Sender:
    """One device: its own connection, its own chain, its own well-days."""

    def __init__(self, base: str, dev: BenchDevice, well: str, first_day: date) -> None:
        self.http = httpx.AsyncClient(base_url=base, timeout=30)
        self.dev = dev
        self.well = well
        self.day = first_day
        self.failures = 0

    async def push_one(self) -> float:
        self.day -= timedelta(days=1)
        body = self.dev.batch_body([self.dev.recorded(self.well, self.day, 90.0)])
        started = time.perf_counter()
        response = await self.http.post(
            "/api/v1/sync/batch", content=body, headers=self.dev.headers
        )
        took = time.perf_counter() - started
        if response.status_code != 200 or response.json()["results"][0]["status"] != "accepted":
            self.failures += 1
        return took

    async def health(self) -> float:
        started = time.perf_counter()
        (await self.http.get("/healthz")).raise_for_status()
        return time.perf_counter() - started


async def paced(senders: list[Sender], seconds: float, push: bool) -> list[float]:
    samples: list[float] = []
    deadline = time.perf_counter() + seconds

    async def run(sender: Sender) -> None:
        await asyncio.sleep(random.uniform(0, INTERVAL_S))
        while (now := time.perf_counter()) < deadline:
            samples.append(await (sender.push_one() if push else sender.health()))
            await asyncio.sleep(max(0.0, INTERVAL_S - (time.perf_counter() - now)))

    await asyncio.gather(*(run(s) for s in senders))
    return samples


async def flat_out(senders: list[Sender], seconds: float) -> list[float]:
    samples: list[float] = []
    deadline = time.perf_counter() + seconds

    async def run(sender: Sender) -> None:
        while time.perf_counter() < deadline:
            samples.append(await sender.push_one())

    await asyncio.gather(*(run(s) for s in senders))
    return samples


def line(label: str, samples: list[float], seconds: float) -> str:
    return (
        f"{label}: {len(samples)} requests ({len(samples) / seconds:,.0f}/s), "
        f"p50 {percentile(samples, 50) * 1e3:.1f} ms, p95 {percentile(samples, 95) * 1e3:.1f}"
        f" ms, p99 {percentile(samples, 99) * 1e3:.1f} ms"
    )


async def measure(base: str, org: str, wells: list[str], devices: int, seconds: float) -> int:
    with httpx.Client(base_url=base, timeout=60) as http:
        logged = [BenchDevice.login(http, org) for _ in range(devices)]
    today = date.today()
    senders = [  # device i records well i (mod wells), each on its own run of days
        Sender(base, d, wells[i % len(wells)], today - timedelta(days=2000 * (i // len(wells))))
        for i, d in enumerate(logged)
    ]
    try:
        await paced(senders, 2, push=True)  # warm up connections and the pool
        health = await paced(senders, seconds, push=False)
        pushes = await paced(senders, seconds, push=True)
        burst = await flat_out(senders, seconds / 2)
    finally:
        await asyncio.gather(*(s.http.aclose() for s in senders))
    failures = sum(s.failures for s in senders)
    print(line(f"healthz, {devices} devices paced at 2/s", health, seconds))
    print(line(f"push 1 event, {devices} devices paced at 2/s", pushes, seconds))
    print(line(f"push 1 event, {devices} devices flat out", burst, seconds / 2))
    print(f"pushes not accepted: {failures}")
    p95, base95 = percentile(pushes, 95), percentile(health, 95)
    print(f"paced push p95 {p95 * 1e3:.1f} ms (goal <= 50) = {p95 / base95:.2f} x healthz p95")
    return 0 if failures == 0 else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--devices", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    server = server_url(args.database_url)
    with scratch_database(server) as url, tempfile.TemporaryDirectory() as tmp:
        org, wells = org_with_wells(url, 50)
        with live_server(url, Path(tmp)) as base:
            return asyncio.run(measure(base, org, wells, args.devices, args.seconds))


if __name__ == "__main__":
    raise SystemExit(main())
