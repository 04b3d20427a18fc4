"""A small, efficient HTTP load generator (asyncio, raw HTTP/1.1, one connection per
request as gunicorn's sync workers close them): closed and open loops, with latency
measured from the moment a request was due (open loop: Poisson arrivals, no coordinated
omission)."""

from __future__ import annotations

import asyncio
import os
import random
import resource
import time
from dataclasses import dataclass, field


def percentile(values, q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def machine_busy() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far (/proc/stat)."""
    with open("/proc/stat") as f:
        parts = [int(x) for x in f.readline().split()[1:]]
    hz = os.sysconf("SC_CLK_TCK")
    idle = parts[3] + parts[4]
    return (sum(parts) - idle) / hz, sum(parts) / hz


def own_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Result:
    latencies_ms: list = field(default_factory=list)
    errors: int = 0
    statuses: dict = field(default_factory=dict)
    seconds: float = 0.0
    loadgen_cpu_s: float = 0.0
    machine_busy_s: float = 0.0
    first_error: str = ""

    def add(self, other: Result) -> Result:
        """This result and `other`'s, as one (the turns of one side of an alternating run)."""
        self.latencies_ms += other.latencies_ms
        self.errors += other.errors
        for status, n in other.statuses.items():
            self.statuses[status] = self.statuses.get(status, 0) + n
        self.seconds += other.seconds
        self.loadgen_cpu_s += other.loadgen_cpu_s
        self.machine_busy_s += other.machine_busy_s
        self.first_error = self.first_error or other.first_error
        return self

    def summary(self) -> dict:
        n = len(self.latencies_ms)
        return {
            "requests": n,
            "errors": self.errors,
            "per_s": round(n / self.seconds, 1) if self.seconds else 0,
            "p50_ms": round(percentile(self.latencies_ms, 50), 2),
            "p95_ms": round(percentile(self.latencies_ms, 95), 2),
            "p99_ms": round(percentile(self.latencies_ms, 99), 2),
            "seconds": round(self.seconds, 1),
            # The load generator's share of the CPU the whole machine used meanwhile.
            "loadgen_cpu_share": round(self.loadgen_cpu_s / self.machine_busy_s, 3)
            if self.machine_busy_s
            else None,
        }


def build_get(host: str, path: str, headers: dict | None = None) -> bytes:
    lines = [f"GET {path} HTTP/1.1", f"Host: {host}", "Connection: close"]
    lines += [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def build_post(host: str, path: str, body: bytes, content_type: str, headers: dict) -> bytes:
    lines = [
        f"POST {path} HTTP/1.1",
        f"Host: {host}",
        "Connection: close",
        f"Content-Type: {content_type}",
        f"Content-Length: {len(body)}",
    ]
    lines += [f"{k}: {v}" for k, v in headers.items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + body


def build_multipart(host: str, path: str, fields: dict, files: dict, headers: dict) -> bytes:
    boundary = "----shenpibench" + os.urandom(8).hex()
    body = bytearray()
    for name, value in fields.items():
        body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        body += str(value).encode() + b"\r\n"
    for name, (filename, content_type, data) in files.items():
        body += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: {content_type}\r\n\r\n'
        ).encode()
        body += data + b"\r\n"
    body += f"--{boundary}--\r\n".encode()
    return build_post(host, path, bytes(body), f"multipart/form-data; boundary={boundary}", headers)


async def _send(host: str, port: int, payload: bytes) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(payload)
        await writer.drain()
        data = await reader.read()
    finally:
        writer.close()
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    return status, data


def _record(result: Result, status: int, data: bytes, started: float, ok=(200, 201)) -> None:
    if status in ok:
        result.latencies_ms.append((time.perf_counter() - started) * 1000)
    else:
        result.errors += 1
        if not result.first_error:
            result.first_error = data[:600].decode("utf-8", "replace")
    result.statuses[status] = result.statuses.get(status, 0) + 1


def closed_loop(
    host: str, port: int, payloads, *, clients: int, total: int, ok=(200, 201)
) -> Result:
    """`clients` concurrent clients, each sending its next request when the last one returned
    (`ok`: the statuses that count as answered)."""
    result = Result()

    async def client(k: int, counter: list):
        while counter[0] < total:
            counter[0] += 1
            payload = payloads(counter[0])
            started = time.perf_counter()
            try:
                status, data = await _send(host, port, payload)
            except OSError as exc:
                status, data = 0, str(exc).encode()
            _record(result, status, data, started, ok)

    async def main():
        counter = [0]
        await asyncio.gather(*(client(k, counter) for k in range(clients)))

    return _timed(result, main)


def open_loop(
    host: str, port: int, payloads, *, rate: float, seconds: float, seed: int = 1
) -> Result:
    """Requests arriving as people's do, independently (a Poisson process: exponential gaps
    of mean 1/rate, seeded), whatever the server's speed; latency counts from when each was
    due, so a server that falls behind is charged for the wait (no coordinated omission).
    One kind of request: `open_loop_mixed` with a single kind."""
    results, whole = open_loop_mixed(
        host, port, lambda n, rng: ("all", payloads(n), (200, 201)),
        rate=rate, seconds=seconds, seed=seed,
    )  # fmt: skip
    result = results.get("all", Result())
    result.seconds, result.loadgen_cpu_s = whole.seconds, whole.loadgen_cpu_s
    result.machine_busy_s = whole.machine_busy_s
    return result


def open_loop_mixed(host: str, port: int, pick, *, rate: float, seconds: float, seed: int = 1):
    """An open loop of several kinds of request at once (Poisson arrivals at `rate` in all):
    `pick(n, rng)` gives the n-th request's (kind, payload, statuses that count as answered).
    Returns {kind: Result}, latencies counted from when each was due."""
    results: dict = {}
    rng = random.Random(seed)

    async def one(kind: str, payload: bytes, ok, due: float):
        try:
            status, data = await _send(host, port, payload)
        except OSError as exc:
            status, data = 0, str(exc).encode()
        _record(results.setdefault(kind, Result()), status, data, due, ok)

    async def main():
        start = time.perf_counter()
        pending, offset, n = [], rng.expovariate(rate), 0
        while offset < seconds:
            due = start + offset
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            kind, payload, ok = pick(n, rng)
            pending.append(asyncio.create_task(one(kind, payload, ok, due)))
            n += 1
            offset += rng.expovariate(rate)
        await asyncio.gather(*pending)

    whole = _timed(Result(), main)
    for result in results.values():
        result.seconds = whole.seconds
    return results, whole


def concurrent_pair(host: str, port: int, first: bytes, second: bytes) -> list:
    """Two requests sent at the same moment: [(status, ms), (status, ms)]."""

    async def one(payload):
        started = time.perf_counter()
        try:
            status, _data = await _send(host, port, payload)
        except OSError:
            status = 0
        return status, round((time.perf_counter() - started) * 1000, 2)

    async def main():
        return await asyncio.gather(one(first), one(second))

    return asyncio.run(main())


def _timed(result: Result, main) -> Result:
    cpu0, (busy0, _t0) = own_cpu(), machine_busy()
    started = time.perf_counter()
    asyncio.run(main())
    result.seconds = time.perf_counter() - started
    result.loadgen_cpu_s = own_cpu() - cpu0
    result.machine_busy_s = machine_busy()[0] - busy0
    return result
