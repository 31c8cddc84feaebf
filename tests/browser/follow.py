"""What the browser tests of backoffice/follow.js share: watching the page, marking the document."""

from __future__ import annotations

STOP = "Arrêter la mise à jour automatique"


def watch_script_problems(page) -> list[str]:
    """The list that collects the page's script errors and anything its CSP blocks."""
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "console",
        lambda message: (
            problems.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return problems


def mark_document(page, stage_id: str | None = None) -> None:
    """Set ``window.sameDocument`` (a reload loses it) and, given the id of the live stage
    label, count every write to it in ``window.stageWrites``."""
    page.evaluate("window.sameDocument = 'oui'")
    if stage_id is not None:
        page.evaluate(
            """(id) => {
              window.stageWrites = 0;
              new MutationObserver((records) => { window.stageWrites += records.length; })
                .observe(document.getElementById(id),
                         {childList: true, characterData: true, subtree: true});
            }""",
            stage_id,
        )
