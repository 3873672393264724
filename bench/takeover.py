"""`--kill`: a worker killed with SIGKILL in the middle of the burst, and the checks that every overdue
cooperative still got exactly one case, one follow-up plan and one case event."""
from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.national_burst import Run

#: A killed worker does not leave its group: its partitions move once its session times out, and the
#: default (60 s) would make waiting for that most of the measurement. The end-to-end tests use the same.
SHORT_SESSION = {"SATGAS_KAFKA__SESSION_TIMEOUT_SECONDS": "10", "SATGAS_KAFKA__HEARTBEAT_INTERVAL_SECONDS": "1"}


def kill_a_worker(run: Run, workers: list[subprocess.Popen]) -> tuple[float, dict]:
    """SIGKILL the first worker (the one that joined first, usually the group's leader): the others take
    over its partitions, or a lone worker gets a replacement. `workers` is left holding the live ones.
    Returns when the kill happened (time.monotonic()) and who took over."""
    victim = workers.pop(0)
    victim.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    victim.wait(60)
    if workers:
        return killed_at, {"taken_over_by": f"{len(workers)} surviving worker(s)"}
    workers.append(run.start(["-m", "cli.main", "worker"], "worker-replacement"))
    return killed_at, {"taken_over_by": "a replacement worker",
                       "replacement_ready_after_kill_s": round(time.monotonic() - killed_at, 2)}


def exactly_once(scalar: Callable[[str], int], overdue: int) -> dict:
    """What the database holds against what one case per overdue cooperative means."""
    held = {
        "cases": scalar("SELECT count(*) FROM cases"),
        "distinct_niks": scalar("SELECT count(DISTINCT nik) FROM cases"),
        "followups": scalar("SELECT count(*) FROM followups"),
        "case_event_outbox_rows": scalar("SELECT count(*) FROM outbox WHERE topic = 'case-events'"),
        "dead_letters": scalar("SELECT count(*) FROM dead_letters"),
    }
    expected = {"cases": overdue, "distinct_niks": overdue, "followups": 4 * overdue,
                "case_event_outbox_rows": overdue, "dead_letters": 0}
    return {**held, "holds": held == expected}
