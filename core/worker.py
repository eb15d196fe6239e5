"""The task worker that outlives the database (`manage.py run_worker`).

django_tasks_db's own `db_worker` exits on the first database error and leaves
the task it was running RUNNING for ever. This worker uses its claiming (one
task at a time, `SELECT ... FOR UPDATE SKIP LOCKED`) and adds:

- an outage is waited out: logged, tried again after a growing delay (at most
  `max_backoff` seconds), and the worker carries on when the database answers;
  the outcome of a task that finished during an outage is saved once it does;
- a heartbeat (core.models.WorkerHeartbeat), written by a thread every quarter
  of WORKER_LEASE_SECONDS, during long tasks too;
- a lease: a task left RUNNING by a worker whose heartbeat is older than
  WORKER_LEASE_SECONDS goes back to READY, and after MAX_CLAIMS claims is failed
  instead, loudly, so that a task which kills its worker cannot go round for ever.
  A worker judges others only once it has itself reached the database for a
  whole lease, so that a worker cut off by the same outage has had time to beat.

A reclaimed task runs again, so every task must be safe to run twice:
send_email records each message it sends (core.models.SentEmail) and looks
there first; the contact relay marks the message relayed."""

import contextlib
import datetime
import logging
import os
import random
import socket
import threading
import time

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections, connections
from django.utils import timezone
from django_tasks_db.compat import TaskContext, TaskResultStatus, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# What a database that cannot be reached raises; anything else is a bug, and the worker stops.
UNREACHABLE = (OperationalError, InterfaceError)
MAX_CLAIMS = 3
FIRST_BACKOFF_SECONDS = 0.5
FORGET_WORKERS_AFTER = datetime.timedelta(days=1)


class WorkerLost(Exception):
    """Recorded as the error of a task whose workers kept dying while running it."""


class OutcomeNotRecorded(Exception):
    """The worker was told to stop while the database was still away."""


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.WORKER_LEASE_SECONDS)


def worker_is_alive() -> bool:
    """Has any worker written its heartbeat within the lease?"""
    return WorkerHeartbeat.objects.filter(beat_at__gte=timezone.now() - lease()).exists()


def close_connections() -> None:
    """Close this thread's connections, broken ones included, so that the next query reconnects."""
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):  # a broken connection is dropped all the same
            connection.close()


def reclaim_abandoned_tasks() -> int:
    """Put back to READY each task RUNNING for longer than the lease on a worker
    whose heartbeat is older than the lease. Returns how many were put back."""
    now = timezone.now()
    cutoff = now - lease()
    alive = set(WorkerHeartbeat.objects.filter(beat_at__gte=cutoff).values_list("worker_id", flat=True))
    reclaimed = 0
    for task in DBTaskResult.objects.running().filter(started_at__lt=cutoff):
        if not (task.worker_ids and task.worker_ids[-1] in alive):
            reclaimed += reclaim(task, now)
    WorkerHeartbeat.objects.filter(beat_at__lt=now - FORGET_WORKERS_AFTER).delete()
    return reclaimed


def reclaim(task: DBTaskResult, now: datetime.datetime) -> int:
    # Only if it is still as we read it: two workers reclaiming at once put it back once.
    unchanged = DBTaskResult.objects.filter(
        pk=task.pk, status=TaskResultStatus.RUNNING, started_at=task.started_at
    )
    worker = task.worker_ids[-1] if task.worker_ids else "unknown"
    if len(task.worker_ids) >= MAX_CLAIMS:
        failed = unchanged.update(
            status=TaskResultStatus.FAILED,
            finished_at=now,
            exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
            traceback=f"WorkerLost: {len(task.worker_ids)} workers in turn stopped while running it.\n",
        )
        if failed:
            logger.error(
                "Task id=%s path=%s stopped %s workers in turn; failed, not tried again",
                task.pk,
                task.task_path,
                len(task.worker_ids),
            )
        return 0
    put_back = unchanged.update(status=TaskResultStatus.READY)
    if put_back:
        logger.warning(
            "Task id=%s path=%s was left running by worker %s, silent for over %ss: queued again",
            task.pk,
            task.task_path,
            worker,
            settings.WORKER_LEASE_SECONDS,
        )
    return put_back


class Heartbeat(threading.Thread):
    """Writes the worker's heartbeat every quarter of the lease, whatever the worker is doing."""

    def __init__(self, worker_id: str) -> None:
        super().__init__(name=f"heartbeat-{worker_id}", daemon=True)
        self.worker_id = worker_id
        self.started_at = timezone.now()
        self.stopping = threading.Event()
        self.failing = False

    def run(self) -> None:
        try:
            while True:
                self.beat()
                if self.stopping.wait(settings.WORKER_LEASE_SECONDS / 4):
                    return
        finally:
            close_connections()

    def beat(self) -> None:
        try:
            now = timezone.now()
            if not WorkerHeartbeat.objects.filter(worker_id=self.worker_id).update(beat_at=now):
                WorkerHeartbeat.objects.create(
                    worker_id=self.worker_id,
                    host=socket.gethostname(),
                    pid=os.getpid(),
                    started_at=self.started_at,
                    beat_at=now,
                )
        except UNREACHABLE as error:
            if not self.failing:
                logger.warning(
                    "Worker %s could not write its heartbeat: %s", self.worker_id, first_line(error)
                )
            self.failing = True
            close_connections()
        else:
            if self.failing:
                logger.info("Worker %s is writing its heartbeat again", self.worker_id)
            self.failing = False

    def stop(self) -> None:
        self.stopping.set()
        self.join(timeout=10)
        try:
            WorkerHeartbeat.objects.filter(worker_id=self.worker_id).delete()
        except UNREACHABLE:
            logger.warning("Worker %s stopped without removing its heartbeat", self.worker_id)


def first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


class ResilientWorker(Worker):
    def __init__(self, *, max_backoff: float, **options) -> None:
        super().__init__(**options)
        self.max_backoff = max_backoff
        self.heartbeat = Heartbeat(self.worker_id)
        self.failures = 0
        # Since when this worker has reached the database without a failure (None: not now).
        self.connected_since: float | None = time.monotonic()
        self.last_reclaim = float("-inf")

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s lease=%ss",
            self.worker_id,
            ",".join(self.queue_names),
            settings.WORKER_LEASE_SECONDS,
        )
        self.heartbeat.start()
        try:
            if self.startup_delay and self.interval:
                time.sleep(random.random())  # noqa: S311 - spreads workers that start together
            self.loop()
        finally:
            self.heartbeat.stop()

    def loop(self) -> None:
        while self.running:
            try:
                finished = self.step()
            except UNREACHABLE as error:
                self.wait_for_database(error)
                continue
            except OutcomeNotRecorded as error:
                logger.error("%s", error)
                return
            self.database_answers()
            if finished:
                return

    def step(self) -> bool:
        """Reclaim if due, then claim and run one task. True when the worker has done its share."""
        close_old_connections()
        self.reclaim_if_due()
        task_result, asked = self.claim_next()
        if task_result is not None:
            self.run_task(task_result)
        if self.batch and asked and task_result is None:
            logger.info("No more tasks to run for worker_id=%s - exiting gracefully.", self.worker_id)
            return True
        if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
            logger.info(
                "Ran the most tasks (%d) asked of worker_id=%s - exiting.", self._run_tasks, self.worker_id
            )
            return True
        close_old_connections()
        if self.running and task_result is None:
            time.sleep(self.interval)
        return False

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """The next ready task, claimed for this worker, and whether the queue could be asked."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
            except OperationalError as error:
                if not is_locked_database_exception(error):
                    raise
                return None, False  # SQLite busy with another writer: ask again next time
        return task_result, True

    def reclaim_if_due(self) -> None:
        now = time.monotonic()
        lease_seconds = settings.WORKER_LEASE_SECONDS
        if self.connected_since is None or now - self.connected_since < lease_seconds:
            return
        if now - self.last_reclaim < lease_seconds / 4:
            return
        self.last_reclaim = now
        reclaim_abandoned_tasks()

    def run_task(self, db_task_result: DBTaskResult) -> None:
        """As db_worker runs a task, but the outcome is saved even if the database is away when it ends."""
        self.running_task = True
        try:
            return_value = self.call_task(db_task_result)
            self.until_saved(db_task_result.set_successful, return_value)
        except OutcomeNotRecorded:
            raise
        except BaseException as error:  # noqa: BLE001 - the task's failure is recorded, as db_worker does
            self.until_saved(db_task_result.set_failed, error)
            self.finished(db_task_result)  # inside the handler, so that the log shows the traceback
        else:
            self.finished(db_task_result)
        finally:
            self.running_task = False
            self._run_tasks += 1

    def call_task(self, db_task_result: DBTaskResult):
        task = db_task_result.task
        task_result = db_task_result.task_result
        task_started.send(sender=type(task.get_backend()), task_result=task_result)
        if task.takes_context:
            return task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
        return task.call(*task_result.args, **task_result.kwargs)

    def finished(self, db_task_result: DBTaskResult) -> None:
        try:
            sender = type(db_task_result.task.get_backend())
            task_result = db_task_result.task_result
        except (ImportError, SuspiciousOperation):
            logger.exception("Task id=%s failed unexpectedly", db_task_result.id)
            return
        task_finished.send(sender=sender, task_result=task_result)

    def until_saved(self, save, outcome) -> None:
        while True:
            try:
                save(outcome)
            except UNREACHABLE as error:
                if not self.running:
                    raise OutcomeNotRecorded(
                        f"Worker {self.worker_id} stopped before it could save what its task did; "
                        "the task will run again once the lease is over"
                    ) from error
                self.wait_for_database(error)
            else:
                self.database_answers()
                return

    def wait_for_database(self, error: BaseException) -> None:
        self.failures += 1
        self.connected_since = None
        delay = min(self.max_backoff, FIRST_BACKOFF_SECONDS * 2 ** min(self.failures - 1, 20))
        logger.warning(
            "Worker %s cannot reach the database (attempt %s): %s; trying again in %.1fs",
            self.worker_id,
            self.failures,
            first_line(error),
            delay,
        )
        close_connections()
        time.sleep(delay)

    def database_answers(self) -> None:
        if self.failures:
            logger.info("Worker %s reaches the database again; carrying on", self.worker_id)
            self.failures = 0
        if self.connected_since is None:
            self.connected_since = time.monotonic()
