"""The fault run of bench/load.py (`--fault`): the script's own PostgreSQL restarted under the load.

The restarts are spread evenly over the run (two in 60 s: at 20 s and 40 s), each
`pg_ctl restart -m fast` (every connection cut, the server back a moment later). Checked:

- no acknowledged write lost (bench/load.py's verify: every 302's row is there afterwards);
- the app recovers by itself: writes are acknowledged again after each restart, gunicorn's
  master is the same process, and none of its workers had to be replaced;
- what failed in the outage failed cleanly: a 5xx answer, never a transport error (a reset
  connection, a timeout), never a 4xx or a form re-shown.
"""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path


def end(record) -> float:
    return record.at + record.seconds


def worker_pids(master: int | None) -> set[int]:
    path = Path(f"/proc/{master}/task/{master}/children")
    return {int(pid) for pid in path.read_text().split()} if master and path.exists() else set()


class Restarts:
    """Called alongside the load as `restarts(started, until)`; then `report(people)`."""

    def __init__(self, postgres, gunicorn, count: int, mode: str):
        if postgres is None:
            raise ValueError("only a PostgreSQL the script started itself is restarted")
        self.postgres, self.gunicorn, self.count, self.mode = postgres, gunicorn, count, mode
        self.windows: list[tuple[float, float]] = []  # (restart began, server back), seconds into the load
        self.master = gunicorn.pid()
        self.workers_before = worker_pids(self.master)
        self.workers_after: set[int] = set()

    def __call__(self, started: float, until: float) -> None:
        length = until - started
        for number in range(1, self.count + 1):
            at = started + length * number / (self.count + 1)
            time.sleep(max(0.0, at - time.perf_counter()))
            if time.perf_counter() >= until:
                break
            begin = time.perf_counter() - started
            self.postgres.restart(self.mode)
            self.windows.append((begin, time.perf_counter() - started))
        time.sleep(max(0.0, until - time.perf_counter()))
        self.workers_after = worker_pids(self.master)

    def report(self, people) -> bool:
        records = sorted((r for p in people for r in p.records), key=lambda r: r.at)
        writes = [r for r in records if not r.kind.endswith(":form")]
        failed = [r for r in records if r.status != (200 if r.kind.endswith(":form") else 302)]
        ok = True
        for number, (begin, back) in enumerate(self.windows, 1):
            # Answers are placed by when they came back: a request queued before the restart fails in it.
            after = next((r for r in sorted(writes, key=end) if r.status == 302 and end(r) >= back), None)
            recovered = f"{end(after) - back:.2f}" if after else "never"
            during = [r for r in failed if begin <= end(r) <= (end(after) if after else float("inf"))]
            gap = max(end(r) for r in during) - back if during else None
            last = "none" if gap is None else f"{gap:.2f} s after" if gap >= 0 else f"{-gap:.2f} s before"
            print(
                f"RESULT restart_{number} = pg_ctl restart -m {self.mode} at {begin:.1f} s, back after "
                f"{back - begin:.2f} s; first write acknowledged {recovered} s after it was back, last failure {last}; "
                f"{len(during)} requests failed {dict(Counter(r.status for r in during))}"
            )
            ok = ok and after is not None
        unclean = [r for r in failed if not 500 <= r.status < 600]
        last_back = self.windows[-1][1] if self.windows else 0.0
        acknowledged_after = sum(1 for r in writes if r.status == 302 and end(r) > last_back)
        replaced = len(self.workers_before - self.workers_after)
        alive = self.gunicorn.process is not None and self.gunicorn.process.poll() is None
        print(
            f"RESULT failed_requests = {len(failed)} (all 5xx: {'yes' if not unclean else 'no'}; "
            f"transport errors {sum(1 for r in failed if r.status == 0)}, "
            f"other {dict(Counter(r.status for r in unclean if r.status))})"
        )
        print(f"RESULT writes_acknowledged_after_last_restart = {acknowledged_after}")
        print(
            f"RESULT app_restarted = {'no' if alive and self.master == self.gunicorn.pid() else 'yes'} "
            f"(gunicorn master pid unchanged, {replaced} of {len(self.workers_before)} workers replaced)"
        )
        print(f"RESULT timeline = {self.timeline(records)}")
        return ok and not unclean and acknowledged_after > 0 and alive and replaced == 0

    @staticmethod
    def timeline(records) -> str:
        """Answers as expected / failed, per second of the load (by when they came back), where any failed."""
        seconds: dict[int, list[int]] = {}
        for r in records:
            good = r.status == (200 if r.kind.endswith(":form") else 302)
            seconds.setdefault(int(end(r)), [0, 0])[0 if good else 1] += 1
        bad = {s for s, (_, failed) in seconds.items() if failed}
        shown = sorted({s + d for s in bad for d in (-1, 0, 1) if s + d in seconds})
        return " ".join(f"{s}s:{seconds[s][0]}ok/{seconds[s][1]}err" for s in shown) or "no failures"
