"""The examples of the documentation: every literal block of ``docs/*.rst`` and ``README.md``.

``tests/test_docs_examples.py`` runs or checks each block this module finds; the rules it
follows are written there. This module only reads the pages:

* in reStructuredText, ``.. code-block:: LANG`` (and its aliases ``code`` and ``sourcecode``)
  with its options and indented body, and ``::`` literal blocks (language ``none``, as
  ``highlight_language`` in ``docs/conf.py``), at any depth of nesting;
* in Markdown, fenced blocks (three or more backticks or tildes, possibly indented in a list);
* the markers written just before a block, separated from it by blank lines only: the
  comments ``.. docs-example: WORDS`` (reStructuredText) and ``<!-- docs-example: WORDS -->``
  (Markdown). A block may have several.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

DOCS_ROOT = Path(__file__).resolve().parent.parent.parent

RST_DIRECTIVE = re.compile(
    r"^(?P<indent>\s*)\.\.\s+(?:code-block|code|sourcecode)::\s*(?P<lang>\S*)\s*$"
)
RST_MARKER = re.compile(r"^\s*\.\.\s+docs-example:\s*(?P<words>.+?)\s*$")
RST_OTHER_DIRECTIVE = re.compile(r"^\s*\.\.\s")
MD_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})\s*(?P<lang>[\w+-]*)\s*$")
MD_MARKER = re.compile(r"^\s*<!--\s*docs-example:\s*(?P<words>.+?)\s*-->\s*$")


@dataclass(frozen=True)
class Block:
    """One literal block: its page (relative to the repository), line, language and text."""

    page: str
    line: int  # 1-based line of the directive or opening fence
    lang: str
    text: str  # dedented, without the trailing blank lines
    markers: tuple[str, ...]

    @property
    def where(self) -> str:
        return f"{self.page}:{self.line}"

    def marker(self, word: str) -> str | None:
        """The rest of the first marker starting with ``word`` ("" when nothing follows it)."""
        for marker in self.markers:
            head, _, rest = marker.partition(" ")
            if head == word:
                return rest.strip()
        return None


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _dedent(lines: list[str]) -> str:
    while lines and not lines[-1].strip():
        lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    width = min((_indent(line) for line in lines if line.strip()), default=0)
    return "\n".join(line[width:] if line.strip() else "" for line in lines) + "\n"


def _markers_before(lines: list[str], index: int, pattern: re.Pattern[str]) -> tuple[str, ...]:
    """The marker comments directly above ``lines[index]`` (blank lines may separate them)."""
    found: list[str] = []
    i = index - 1
    while i >= 0:
        if not lines[i].strip():
            i -= 1
            continue
        match = pattern.match(lines[i])
        if not match:
            break
        found.append(match["words"])
        i -= 1
    return tuple(reversed(found))


def _rst_body(lines: list[str], start: int, indent: int) -> tuple[list[str], int]:
    """The indented body starting at ``lines[start]`` (more indented than ``indent``)."""
    body: list[str] = []
    i = start
    while i < len(lines):
        line = lines[i]
        if line.strip() and _indent(line) <= indent:
            break
        body.append(line)
        i += 1
    return body, i


def rst_blocks(text: str, page: str) -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        directive = RST_DIRECTIVE.match(line)
        literal = (
            not directive
            and line.rstrip().endswith("::")
            and not RST_OTHER_DIRECTIVE.match(line)
            and line.strip() != ""
        )
        if not directive and not literal:
            i += 1
            continue
        indent = _indent(line)
        markers = _markers_before(lines, i, RST_MARKER)
        body_start = i + 1
        if directive:
            # Options (`:caption: ...`) come first, then a blank line, then the body.
            while body_start < len(lines) and re.match(r"^\s+:[\w-]+:", lines[body_start]):
                body_start += 1
        body, end = _rst_body(lines, body_start, indent)
        if directive or any(part.strip() for part in body):
            lang = (directive["lang"] or "none") if directive else "none"
            blocks.append(Block(page, i + 1, lang, _dedent(body), markers))
        i = end if body else i + 1
    return blocks


def markdown_blocks(text: str, page: str) -> list[Block]:
    lines = text.splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        opening = MD_FENCE.match(lines[i])
        if not opening:
            i += 1
            continue
        fence = opening["fence"]
        end = i + 1
        while end < len(lines) and lines[end].strip() != fence:
            end += 1
        if end == len(lines):
            raise AssertionError(f"{page}:{i + 1}: a fenced block that is never closed")
        markers = _markers_before(lines, i, MD_MARKER)
        blocks.append(
            Block(page, i + 1, opening["lang"] or "none", _dedent(lines[i + 1 : end]), markers)
        )
        i = end + 1
    return blocks


def doc_pages(root: Path = DOCS_ROOT) -> list[Path]:
    """``README.md`` and every ``docs/*.rst``, in a stable order."""
    return [root / "README.md", *sorted((root / "docs").glob("*.rst"))]


def page_blocks(path: Path, root: Path = DOCS_ROOT) -> list[Block]:
    page = path.relative_to(root).as_posix()
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return markdown_blocks(text, page)
    return rst_blocks(text, page)


def all_blocks(root: Path = DOCS_ROOT) -> list[Block]:
    return [block for page in doc_pages(root) for block in page_blocks(page, root)]
