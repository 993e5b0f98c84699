"""A bounded load run against the served app: a mixed workload, or ``/healthz`` alone.

Why not wrk: the mix needs, for each update POST, the share page just read by the same
signed-in person (its CSRF token and the assignment's version), separate counts for version
conflicts (409) and errors, and sessions of several roles. A wrk Lua script keeps one state
per thread, not per connection, so this small generator does it instead: ``concurrency``
threads, each with its own copies of the signed-in sessions, for ``seconds`` seconds or
``max_requests`` requests, whichever comes first. Its own CPU use is reported beside the
figures: on a 2-CPU machine the client competes with the server, more so for ``/healthz``.

The mix: 80 % page views spread over every role's pages, 20 % update POSTs. A POST follows
a fresh read of the share page (itself one of the page views), so a quarter of operations
are "read the share, post its form" and three quarters single page views.
"""

from __future__ import annotations

import http.client
import random
import statistics
import threading
import time
from dataclasses import dataclass, field

from bench.browser import Visitor

POST_SHARE = 0.20
# Operations that post are two requests (read + POST): q / (1 + q) = POST_SHARE.
POST_OPERATIONS = POST_SHARE / (1 - POST_SHARE)
SAVED = "Your report is saved."  # what the share page says after a report


def update_fields(n: int) -> dict[str, str]:
    """What a focal point types into the update form (the n-th report of the run)."""
    return {
        "status": "in_progress",
        "progress": str(5 * (n % 19)),
        "narrative": f"Benchmark report {n}: contacts renewed with the secretariat.",
        "evidence_links": "",
        "visibility": "network",
    }


@dataclass
class Workload:
    """``name``: "mixed" or "/healthz". ``views``: (who, path) page views, who being a key of
    ``people`` or a writer's e-mail; ``shares``: writer's e-mail -> share pages they may
    report on; ``people``: role -> e-mail of the accounts the views use."""

    name: str
    views: list[tuple[str, str]] = field(default_factory=list)
    shares: dict[str, list[str]] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)


@dataclass
class Outcome:
    """What one level of a load run measured."""

    workload: str
    concurrency: int
    seconds: float
    requests: int
    posts: int
    conflicts: int
    errors: int
    p50_ms: float
    p95_ms: float
    client_cpu: float  # share of one CPU the generator used
    first_error: str = ""

    @property
    def throughput(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class _Tally:
    requests: int = 0  # sent, answered or not
    ms: list[float] = field(default_factory=list)
    posts: int = 0
    conflicts: int = 0
    errors: int = 0
    first_error: str = ""

    def error(self, what: str) -> None:
        self.errors += 1
        self.first_error = self.first_error or what


def percentile(values: list[float], fraction: float) -> float:
    """The value below which ``fraction`` of ``values`` lie (nearest rank); 0 if none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def sessions(base: str, workload: Workload) -> dict[str, Visitor]:
    """One signed-in visitor per account the workload uses (signing in is slow by design:
    done once per server, then each thread of each level copies the cookies)."""
    accounts = {**workload.people, **{email: email for email in workload.shares}}
    return {who: Visitor(base).sign_in(email) for who, email in accounts.items()}


class _Worker:
    """One thread's share of the load: its own random sequence, cookies and tally."""

    def __init__(self, base: str, workload: Workload, signed_in: dict[str, Visitor], n: int):
        self.workload = workload
        self.rng = random.Random(n)
        self.tally = _Tally()
        self.visitors: dict[str, Visitor] = {}
        for who, visitor in signed_in.items():
            self.visitors[who] = Visitor(base)
            self.visitors[who].cookies = dict(visitor.cookies)
        self.anonymous = Visitor(base)
        self.writers = sorted(workload.shares)
        self.n = n * 1_000_000  # numbers the reports it writes, apart from other threads'

    def one(self) -> int:
        """One operation; returns the number of requests it sent."""
        tally = self.tally
        before = tally.requests
        try:
            if self.workload.name == "/healthz":
                self._view(self.anonymous, "/healthz", "anonymous")
            elif self.writers and self.rng.random() < POST_OPERATIONS:
                self._post()
            else:
                who, path = self.rng.choice(self.workload.views)
                self._view(self.visitors[who], path, who)
        except (OSError, http.client.HTTPException, LookupError) as error:
            tally.error(f"{type(error).__name__}: {error}")
        return tally.requests - before

    def _view(self, visitor: Visitor, path: str, who: str) -> str | None:
        """GET a page; its HTML if it answered 200, else None (an error)."""
        self.tally.requests += 1
        answer = visitor.get(path)
        self.tally.ms.append(answer.ms)
        if answer.status != 200:
            self.tally.error(f"{path} ({who}): HTTP {answer.status}")
            return None
        return answer.text

    def _post(self) -> None:
        """Read a share page as one of its focal points, then post its update form."""
        writer = self.rng.choice(self.writers)
        path = self.rng.choice(self.workload.shares[writer])
        visitor = self.visitors[writer]
        page = self._view(visitor, path, writer)
        if page is None:
            return
        self.n += 1
        self.tally.requests += 1
        answer = visitor.post_form(page, path + "/updates", update_fields(self.n))
        self.tally.ms.append(answer.ms)
        self.tally.posts += 1
        if answer.status == 409:
            self.tally.conflicts += 1
        elif answer.status != 302 or answer.location != path:
            self.tally.error(f"POST {path}: HTTP {answer.status}")


def run(
    base: str,
    workload: Workload,
    concurrency: int,
    seconds: float,
    max_requests: int = 200_000,
    signed_in: dict[str, Visitor] | None = None,
) -> Outcome:
    """Run ``workload`` with ``concurrency`` threads for at most ``seconds`` seconds and
    ``max_requests`` requests, against ``base`` (an address on this machine). ``signed_in``:
    the :func:`sessions` to copy (signed in here if not given)."""
    if signed_in is None:
        signed_in = sessions(base, workload) if workload.name != "/healthz" else {}
    workers = [_Worker(base, workload, signed_in, n) for n in range(concurrency)]
    lock = threading.Lock()
    sent = [0]
    deadline = time.perf_counter() + seconds

    def loop(worker: _Worker) -> None:
        while time.perf_counter() < deadline:
            with lock:
                if sent[0] >= max_requests:
                    return
            made = worker.one()
            with lock:
                sent[0] += made

    cpu = time.process_time()
    started = time.perf_counter()
    threads = [threading.Thread(target=loop, args=(w,), daemon=True) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    client_cpu = (time.process_time() - cpu) / elapsed
    ms = [value for w in workers for value in w.tally.ms]
    errors = sum(w.tally.errors for w in workers)
    return Outcome(
        workload=workload.name,
        concurrency=concurrency,
        seconds=elapsed,
        requests=sum(w.tally.requests for w in workers),
        posts=sum(w.tally.posts for w in workers),
        conflicts=sum(w.tally.conflicts for w in workers),
        errors=errors,
        p50_ms=statistics.median(ms) if ms else 0.0,
        p95_ms=percentile(ms, 0.95),
        client_cpu=client_cpu,
        first_error=next((w.tally.first_error for w in workers if w.tally.first_error), ""),
    )
