"""`tuijin load-demo`: load the illustrative demo scenario once, then print the demo logins."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tuijin.core import demo
from tuijin.core.demo_data import PASSWORD
from tuijin.security.demo import give_demo_authenticators
from tuijin.tasks.models import TaskState, TaskStatus

STATUS_NAMES = {
    TaskStatus.NORMAL: "正常",
    TaskStatus.WARNING: "预警（黄）",
    TaskStatus.OVERDUE: "逾期（红）",
    TaskStatus.CLOSED: "已销号",
}
STATE_NAMES = {
    TaskState.ASSIGNED: "待签收",
    TaskState.IN_PROGRESS: "办理中",
    TaskState.CLOSURE_REQUESTED: "申请办结",
    TaskState.CLOSED: "已办结",
}


class Command(BaseCommand):
    help = "Load the illustrative demo scenario (once) and print the demo logins."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the database holds real plans or users with the demo login names.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEMO_MODE:
            # Demo accounts share a published password: they must never reach a real deployment (等保).
            raise CommandError(
                "演示数据只能在演示模式下加载。Demo data is loaded only in demo mode: set DEMO_MODE=1 "
                "(`make run` does), never on a production server."
            )
        if demo.is_loaded():
            self.stdout.write("演示数据已加载，本次未做改动。Demo data already loaded; nothing changed.")
        else:
            problems = demo.conflicts()
            if problems and not force:
                self.stdout.write(
                    self.style.WARNING(
                        "Demo data NOT loaded: "
                        + "; ".join(problems)
                        + ". Use `load-demo --force` to load it anyway."
                    )
                )
                return
            started = time.monotonic()
            demo.load_demo()
            self.stdout.write(self.style.SUCCESS(f"演示数据已加载（{time.monotonic() - started:.1f} 秒）。"))
            self.print_summary()
        give_demo_authenticators()
        self.print_logins()

    def print_summary(self) -> None:
        s = demo.summary()
        statuses = " · ".join(f"{STATUS_NAMES[k]} {v}" for k, v in s["by_status"].items())
        states = " · ".join(f"{STATE_NAMES[k]} {v}" for k, v in s["by_state"].items())
        self.stdout.write(
            f"单位 {s['units']} · 用户 {s['users']} · 清单 {s['plans']} · 任务 {s['tasks']} · "
            f"进展报告 {s['reports']} · 佐证材料 {s['evidence']} · 延期申请 {s['extensions']}"
        )
        self.stdout.write(f"任务状态：{statuses}")
        self.stdout.write(f"办理环节：{states}")

    def print_logins(self) -> None:
        featured, others = demo.login_rows()
        if not featured:
            return
        self.stdout.write("")
        self.stdout.write(self.style.WARNING("以下为演示账号，仅用于示例数据，切勿用于生产环境。"))
        self.stdout.write(
            self.style.WARNING(f"DEMO ACCOUNTS for illustrative data only. Password for all: {PASSWORD}")
        )
        self.stdout.write(
            "督查室和三员账号登录时还需输入动态验证码；演示模式下验证码显示在验证页面上。"
            "Supervisor and administrator accounts also enter a one-time code; in demo mode the code page shows it."
        )
        self.stdout.write(f"  {'login':<12} {'role':<14} name / unit")
        for row in featured:
            self.stdout.write(f"  {row.login:<12} {row.role:<14} {row.name}  {row.where}")
        if others:
            self.stdout.write("  其他单位账号（角色 unit，同一密码）：")
            line = []
            for row in others:
                line.append(f"{row.login} {row.where}")
                if len(line) == 4:
                    self.stdout.write("    " + " · ".join(line))
                    line = []
            if line:
                self.stdout.write("    " + " · ".join(line))
