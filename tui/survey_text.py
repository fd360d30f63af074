"""Surveys in words, for the screens and the command line alike: a figure
against its target, a row of the figures table, an import's problems.
No Textual here (the CLI uses it)."""

from __future__ import annotations

from db.text import one_line
from tui.i18n import t


def percent(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}%"


def target_text(target: float) -> str:
    return f"{target:g}%"


def against(figure, target: float) -> str:
    """"met" / "short by 3.5 points" / "no answers"."""
    short = figure.short_by(target)
    if short is None:
        return t("survey.no_answers")
    if short <= 0:
        return t("survey.met")
    return t("survey.short", points=f"{short:g}")


def class_name(figure) -> str:
    return one_line(figure.name) if figure.class_id is not None else t("survey.no_class")


def figure_rows(figures) -> list[tuple[str, str, str, str, str]]:
    """(class, families answering/of, satisfied/given, rate, against the target):
    each class, then the overall row."""
    rows = []
    for figure in figures.classes:
        rows.append(_row(class_name(figure), figure, figures.target))
    label = t("survey.overall_seen") if figures.partial else t("survey.overall")
    rows.append(_row(label, figures.overall, figures.target))
    return rows


def _row(name: str, figure, target: float) -> tuple[str, str, str, str, str]:
    return (name, f"{figure.answering}/{figure.families}", f"{figure.satisfied}/{figure.given}",
            percent(figure.rate), against(figure, target))


def summary(figures) -> str:
    """One line: the overall figure against the target."""
    return t("survey.summary", rate=percent(figures.overall.rate),
             target=target_text(figures.target), status=against(figures.overall, figures.target),
             answering=figures.overall.answering, families=figures.overall.families)


def problem_line(problem, file_error=None) -> str:
    """One problem of an import, with its row number and what to do."""
    if problem.code == "file" and file_error is not None:
        from tui.import_report import file_error as file_words

        return file_words(file_error)
    text = t(f"survey.file.{problem.code}", column=one_line(problem.column),
             value=one_line(problem.value))
    return t("survey.file.row", row=problem.row, message=text) if problem.row else text


def import_lines(result) -> list[str]:
    if result.ok:
        count = result.count
        return [t("survey.import.done", rows=result.rows, added=count.added,
                  changed=count.changed, same=result.rows - count.added - count.changed)]
    lines = [t("survey.import.refused", n=len(result.problems) + result.more)]
    lines += [problem_line(p, result.file_error) for p in result.problems]
    if result.more:
        lines.append(t("survey.import.more", n=result.more))
    return lines
