"""The user guides in docs/ stay true to the application: their pictures exist and are made by the screenshot
script, their links lead somewhere, and the operations page names exactly the settings config.py reads."""

from __future__ import annotations

import importlib.util
import re
import sys
import unicodedata
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SHOTS = DOCS / "schermen"
PAGES = sorted(DOCS.glob("*.md"))
ROLE_PAGES = ("inspecteur.md", "voorlichting.md", "handhaver.md", "beheerder.md", "beheer-en-operatie.md")
OPERATIONS = DOCS / "beheer-en-operatie.md"

_IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+)\)")
_LINK = re.compile(r"(?<!!)\[[^\]]+\]\(([^)\s]+)\)")
_ENV_NAME = re.compile(r"\b(WKI_[A-Z0-9_]+|SECRET_KEY|DATABASE_URL|TEST_DATABASE_URL|FLASK_ENV)\b")


def load_screenshot_script() -> ModuleType:
    """scripts/screenshots.py as a module (scripts/ is no package)."""
    name = "wki_screenshot_script"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / "screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _documents() -> list[Path]:
    return [*PAGES, ROOT / "README.md"]


def _text_outside_code(path: Path) -> str:
    """The Markdown without fenced code blocks (a link in an example is no link)."""
    return re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = unicodedata.normalize("NFC", heading.strip().lower())
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    return {_slug(m.group(1)) for m in re.finditer(r"^#{1,6}\s+(.+?)\s*$", _text_outside_code(path), flags=re.M)}


def test_there_is_a_page_per_role_and_an_index_linking_them() -> None:
    index = (DOCS / "README.md").read_text(encoding="utf-8")
    for page in ROLE_PAGES:
        assert (DOCS / page).is_file(), f"docs/{page} is missing"
        assert f"]({page})" in index, f"docs/README.md does not link {page}"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for page in ("docs/README.md", *(f"docs/{p}" for p in ROLE_PAGES)):
        assert f"]({page})" in readme, f"README.md does not link {page}"


@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_image_a_document_shows_exists_and_has_a_description(document: Path) -> None:
    for alt, target in _IMAGE.findall(_text_outside_code(document)):
        assert not target.startswith(("http:", "https:")), f"{document.name}: {target} is not in the repository"
        assert (document.parent / target).resolve().is_file(), f"{document.name}: image {target} does not exist"
        assert alt.strip(), f"{document.name}: image {target} has no description (alt text)"


@pytest.mark.parametrize("document", _documents(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(document: Path) -> None:
    for target in _LINK.findall(_text_outside_code(document)):
        if re.match(r"^[a-z]+:", target):
            continue  # http(s), mailto: not checked here
        file_part, _, anchor = target.partition("#")
        linked = (document.parent / file_part).resolve() if file_part else document
        assert linked.exists(), f"{document.name}: link {target} leads nowhere"
        if anchor and linked.suffix == ".md":
            assert anchor in _anchors(linked), f"{document.name}: {linked.name} has no heading #{anchor}"


def test_every_screen_of_the_script_is_shown_in_a_guide_and_every_picture_is_a_screen() -> None:
    screens = load_screenshot_script().SCREENS
    names = [s.name for s in screens]
    assert len(names) == len(set(names)), "two screens with the same name"
    assert all(re.fullmatch(r"[a-z0-9-]+", n) for n in names), names
    shown = {Path(t).name for page in PAGES for _, t in _IMAGE.findall(_text_outside_code(page))}
    unused = [n for n in names if f"{n}.png" not in shown]
    assert not unused, f"screens the script makes but no page in docs/ shows: {unused}"
    stale = sorted(p.name for p in SHOTS.glob("*.png") if p.stem not in names)
    assert not stale, f"pictures in docs/schermen that the script no longer makes (remove them): {stale}"
    missing = [n for n in names if not (SHOTS / f"{n}.png").is_file()]
    assert not missing, f"run scripts/screenshots.py: pictures missing for {missing}"


def _config_env_names() -> set[str]:
    source = (ROOT / "config.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"(WKI_[A-Z0-9_]+|SECRET_KEY|DATABASE_URL|TEST_DATABASE_URL|FLASK_ENV)"', source))
    # _env_json_mapping(NAME) also reads the file that NAME_FILE names.
    names |= {f"{n}_FILE" for n in re.findall(r'_env_json_mapping\("([A-Z0-9_]+)"\)', source)}
    return names


def test_the_operations_page_names_only_settings_that_exist() -> None:
    named = set(_ENV_NAME.findall(OPERATIONS.read_text(encoding="utf-8")))
    unknown = sorted(named - _config_env_names())
    assert not unknown, f"docs/beheer-en-operatie.md names settings config.py does not read: {unknown}"


def test_the_operations_page_documents_every_setting() -> None:
    named = set(_ENV_NAME.findall(OPERATIONS.read_text(encoding="utf-8")))
    undocumented = sorted(_config_env_names() - named)
    assert not undocumented, (
        f"config.py reads settings that docs/beheer-en-operatie.md (Configuratie) does not describe: {undocumented}"
    )


def test_the_pictures_are_small_enough_to_keep_in_git() -> None:
    sizes = {p.name: p.stat().st_size for p in SHOTS.glob("*.png")}
    assert sizes, "docs/schermen has no pictures"
    too_big = {n: s for n, s in sizes.items() if s > 250_000}
    assert not too_big, f"pictures over 250 kB (the script stores 256 colours; is it still used?): {too_big}"
    assert sum(sizes.values()) < 6_000_000, f"docs/schermen holds {sum(sizes.values()):,} bytes"
