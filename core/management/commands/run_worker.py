"""`manage.py run_worker`: the task worker to run in production and beside
`runserver`. It takes db_worker's options, rides out database outages, writes
a heartbeat and takes back tasks left running by workers that died (see
core.worker)."""

import os
from argparse import ArgumentParser

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from core.worker import ResilientWorker


class Command(db_worker.Command):
    help = "Run the background worker: db_worker that survives database outages and reclaims lost tasks"

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument(
            "--max-backoff",
            default=30.0,
            type=db_worker.valid_interval,
            help="The longest wait (seconds) between tries while the database is away (default: %(default)r)",
        )

    def handle(
        self, *, verbosity: int, queue_name: str, exclude_queues: str, reload: bool, **options
    ) -> None:
        self.configure_logging(verbosity)
        if reload and options["batch"]:
            reload = False
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded_queue_names,
            interval=options["interval"],
            batch=options["batch"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
            max_backoff=options["max_backoff"],
        )
        if not reload:
            worker.configure_signals()
            worker.run()
            return
        if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
            worker.configure_signals()  # only in the child that runs the worker
        run_with_reloader(worker.run)
