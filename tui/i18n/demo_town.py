"""``bangfu demo --schools N``: a small demo town (``tui.cli.demo_town``)."""

ENTRIES: dict[str, tuple[str, str]] = {
    "cli.help.schools": ("a demo town of N schools (2-12): on a server, one district database "
                         "with a client role per school; with a file, a file per school beside it",
                         "生成有 N 所学校（2-12）的演示乡镇：在服务器上是一个区县库、每校一个客户端账号；"
                         "用文件时在其旁边每校一个文件"),
    "cli.demo_town.count": ("A demo town has {low} to {high} schools: give --schools {low} to "
                            "--schools {high}.",
                            "演示乡镇有 {low} 至 {high} 所学校：请给出 --schools {low} 至 {high}。"),
    "cli.demo_town.students": ("Give each school at least one student (--students N).",
                               "每所学校至少要有一名学生（--students N）。"),
    "cli.demo_town.building": ("[{n}/{count}] {name}: building", "[{n}/{count}] {name}：生成中"),
    "cli.demo_town.copying": ("[{n}/{count}] {name}: copying in", "[{n}/{count}] {name}：复制中"),
    "cli.demo_town.not_built": ("The demo school {name} was not built ({detail}).",
                                "演示学校 {name} 未生成（{detail}）。"),
    "cli.demo_town.files_exist": ("These files already exist: {paths}. Use --force to replace "
                                  "them, or give --db a path in another folder.",
                                  "这些文件已存在：{paths}。如需替换请加 --force，或用 --db 指定另一个文件夹中的路径。"),
    "cli.demo_town.file": ("{name}: {path}; its weekly roll-up (PIN 1234):",
                           "{name}：{path}；其周报汇总（PIN 1234）："),
    "cli.demo_town.files_done": ("A demo town of {n:school|schools}, a file each (every account's PIN "
                                 "is {pin}). The town's weekly report from the schools' files:",
                                 "已生成有 {n} 所学校的演示乡镇，每校一个文件（所有账号的 PIN 都是 {pin}）。"
                                 "用各校文件合成镇的周报："),
    "cli.demo_town.not_empty": ("{path} already holds data: a demo town needs an empty database. "
                                "Create a new one (createdb) and give its URL with --db.",
                                "{path} 已有数据：演示乡镇需要一个空数据库。请新建一个（createdb），"
                                "并用 --db 给出其地址。"),
    "cli.demo_town.copy_failed": ("{name} could not be copied into the database ({detail}); its "
                                  "copy was rolled back. Start again with a new, empty database.",
                                  "{name} 未能复制进数据库（{detail}）；该校的复制已回滚。"
                                  "请用一个新的空数据库重新开始。"),
    "cli.demo_town.school": ("{name}: its computers connect as {role} ({url}):",
                             "{name}：其电脑以 {role} 连接（{url}）："),
    "cli.demo_town.office": ("The town's office (城关镇), role {role}: it opens on the schools' "
                             "figures (no sign-in), never a record; counted now, and again "
                             "with `bangfu district publish`:",
                             "城关镇专班，账号 {role}：打开即是各校数据（无需登录），看不到任何"
                             "记录；已统计，之后用 `bangfu district publish` 再统计："),
    "cli.demo_town.password": ("  the role's password, shown only now: {password}",
                               "  该账号的密码（只显示这一次）：{password}"),
    "cli.demo_town.server_done": ("A demo town of {n:school|schools} in one database: each school's "
                                  "role sees only its own school (its password in ~/.pgpass or "
                                  "PGPASSWORD); sign in with any staff name and PIN {pin}. The "
                                  "town's weekly roll-up, with the owner's credentials:",
                                  "已在一个数据库中生成有 {n} 所学校的演示乡镇：每校的账号只能看到本校"
                                  "（密码放在 ~/.pgpass 或 PGPASSWORD 中）；用任一教职工姓名和 PIN {pin} "
                                  "登录。用所有者的账号生成镇的周报汇总："),
}
