"""`govsite serve`: the embedded mode — one waitress server for the admin and the public sites, plus a
background-task worker process on the database queue."""

from __future__ import annotations

import subprocess
import sys
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "启动内置服务器：后台管理、公众网站和后台任务（嵌入式模式）"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="监听地址，缺省 127.0.0.1")
        parser.add_argument("--port", type=int, default=8000, help="监听端口，缺省 8000")
        parser.add_argument("--threads", type=int, default=8, help="工作线程数，缺省 8")
        parser.add_argument("--no-worker", action="store_true", help="不启动后台任务进程")

    def handle(self, *args: Any, **options: Any) -> None:
        from waitress import serve

        from govsite.wsgi import application

        worker = None
        if (
            not options["no_worker"]
            and settings.TASKS["default"]["BACKEND"] == "django_tasks_db.DatabaseBackend"
        ):
            # The worker logs every task; keep that out of the console, in the data directory.
            log_dir = settings.DATA_DIR / "logs"
            log_dir.mkdir(parents=True, exist_ok=True)
            log_file = (log_dir / "worker.log").open("ab")
            worker = subprocess.Popen(
                [sys.executable, "-m", "govsite", "db_worker", "--interval", "0.2"],
                stdout=log_file,
                stderr=log_file,
            )
            self.stdout.write(f"后台任务进程已启动，日志：{log_dir / 'worker.log'}")
        stop = threading.Event()
        from govsite.publishing.monitor import schedule_loop

        threading.Thread(
            target=schedule_loop, args=(stop, settings.VERIFY_MINUTES), name="schedule", daemon=True
        ).start()
        if settings.VERIFY_MINUTES > 0:
            self.stdout.write(f"防篡改校验：每 {settings.VERIFY_MINUTES} 分钟校验一次发布文件")
        self.stdout.write("每天零点后重新发布各网站（哀悼日起止、通知截止等随日期变化的页面）")
        base = f"http://{options['host']}:{options['port']}"
        self.stdout.write(
            f"govsite 已启动：后台 {base}/{settings.ADMIN_URL}　公众网站 {base}/　（Ctrl+C 停止）"
        )
        try:
            serve(
                application,
                host=options["host"],
                port=options["port"],
                threads=options["threads"],
                ident="govsite",
            )
        finally:
            stop.set()
            if worker is not None:
                worker.terminate()
                worker.wait(timeout=10)
