"""The ``govsite`` command: Django management commands, with a Chinese overview of govsite's own."""

from __future__ import annotations

import os
import sys

# Commands shown in `govsite --help`, grouped for operators; Django's own stay available.
COMMAND_GROUPS: list[tuple[str, list[tuple[str, str]]]] = [
    (
        "运行",
        [
            ("serve", "启动内置服务器（后台、公众网站与后台任务），嵌入式模式"),
            ("migrate", "创建或升级数据库结构"),
            ("setup", "创建三员角色等平台基础数据（可重复执行）"),
            ("demo", "生成演示站群：市门户、两个县门户、三个部门网站，约 2000 篇文章和各角色账号"),
        ],
    ),
    (
        "账号与安全",
        [
            ("account", "账号管理：新建账号、授予三员角色、设置超级用户（服务器命令行专用）"),
            ("audit", "审计日志：verify 校验哈希链，export 导出"),
        ],
    ),
    (
        "站点与内容",
        [
            ("site", "站点管理：列出网站、新建网站"),
            ("docno", "发文字号工具：parse 解析发文字号，清理历史数据"),
            ("responsibility", "栏目责任分解表与信息员备案表：export 导出、import 导入"),
            ("review", "分级审核：install-workflows 为尚未设置分级审核的网站安装默认审核流程"),
        ],
    ),
    (
        "静态发布",
        [
            (
                "publish",
                "发布公众网站：run 发布（全量或按页面增量）、status 发布记录、releases 版本、"
                "rollback 回退、verify 防篡改校验与恢复、nginx-config 生成 nginx 配置",
            ),
        ],
    ),
    (
        "内容检查",
        [
            ("check-text", "检查纯文本或 HTML 中的个人信息、错敏字词等问题，逐条输出规则、位置和脱敏建议"),
            ("check-file", "检查附件（DOCX、XLSX、PDF 等），带页码或单元格位置；扫描件报告为未检查"),
            ("validate", "校验身份证号（id）或统一社会信用代码（uscc），逐行输出 valid 或 invalid: 原因"),
        ],
    ),
]


def _print_help() -> None:
    print("govsite — 政府网站集约化平台\n")
    print("用法：govsite <命令> [参数]；govsite <命令> --help 查看命令的详细说明。\n")
    width = max(len(name) for _, commands in COMMAND_GROUPS for name, _ in commands) + 2
    for title, commands in COMMAND_GROUPS:
        print(f"{title}：")
        for name, text in commands:
            print(f"  {name:<{width}}{text}")
        print()
    print(
        "其余 Django 管理命令（如 createcachetable、shell、db_worker）同样可用：govsite help --all 列出全部。"
    )


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "govsite.settings")
    if len(argv) < 2 or (argv[1] in {"-h", "--help", "help"} and len(argv) == 2):
        _print_help()
        return
    if argv[1:] == ["help", "--all"]:
        argv = [argv[0], "help"]
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
