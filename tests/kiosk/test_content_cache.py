"""The compiled content copy: used when it matches, never when the content changed, never able to run code."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from kiosk.content import load_content
from kiosk.content.cache import content_key
from kiosk.system.paths import content_dir


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    """A writable copy of the shipped content beside its images, laid out as in resources/."""
    shutil.copytree(content_dir(), tmp_path / "content")
    shutil.copytree(content_dir().parent / "images", tmp_path / "images")
    return tmp_path / "content"


def _cache_files(cache: Path) -> list[Path]:
    return sorted(cache.glob("content-*.pickle"))


def test_a_second_start_reads_the_compiled_copy_and_gets_the_same_content(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = load_content(folder, cache_dir=cache)
    assert len(_cache_files(cache)) == 1
    assert oct(_cache_files(cache)[0].stat().st_mode & 0o777) == "0o600"
    again = load_content(folder, cache_dir=cache)
    assert again.manifest == first.manifest and again.files == first.files
    assert [q.id for q in again.questions.values()] == [q.id for q in first.questions.values()]


def test_an_edited_content_file_is_read_again_not_taken_from_the_cache(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    load_content(folder, cache_dir=cache)
    ui = folder / "ui.yaml"
    ui.write_text(ui.read_text(encoding="utf-8").replace("Need help?", "Ask for help", 1), encoding="utf-8")
    assert "Ask for help" in ui.read_text(encoding="utf-8"), "the fixture changed a patient-facing text"
    edited = load_content(folder, cache_dir=cache)
    assert repr(edited.ui).count("Ask for help") == 1
    assert len(_cache_files(cache)) == 1, "the stale copy is removed"


def test_a_planted_cache_file_cannot_run_code_and_is_rebuilt(folder: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    cache.mkdir()
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    planted = cache / f"content-intake-{content_key(folder, folder.parent / 'images')[:32]}.pickle"
    planted.write_bytes(pickle.dumps(Evil()))
    content = load_content(folder, cache_dir=cache)
    assert not marker.exists()
    assert content.questions, "the content was rebuilt from the YAML"
    assert planted.read_bytes() != pickle.dumps(Evil())


def test_invalid_content_is_refused_even_when_an_old_copy_exists(folder: Path, tmp_path: Path) -> None:
    from kiosk.content import ContentInvalid

    cache = tmp_path / "cache"
    load_content(folder, cache_dir=cache)
    (folder / "ui.yaml").write_text("not: [valid", encoding="utf-8")
    with pytest.raises(ContentInvalid):
        load_content(folder, cache_dir=cache)


def test_a_bundle_without_the_model_source_still_uses_the_cache(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """PyInstaller ships compiled modules only: the key must not need kiosk/content/model.py on disk."""
    from kiosk.content import model

    monkeypatch.setattr(model, "__file__", str(tmp_path / "no-such-dir" / "model.py"))
    cache = tmp_path / "cache"
    first = load_content(folder, cache_dir=cache)
    assert len(_cache_files(cache)) == 1
    assert load_content(folder, cache_dir=cache).files == first.files


def test_a_daily_start_reads_the_welcome_screens_minutes_from_the_copy(folder: Path, tmp_path: Path,
                                                                       monkeypatch) -> None:
    """Walking every typical path takes longer than the rest of the welcome screen: it is done once per content."""
    from kiosk.rules import estimate

    cache = tmp_path / "cache"
    minutes = estimate.promised_minutes(load_content(folder, cache_dir=cache, prepare=estimate.promised_minutes))
    walks: list[str] = []
    real_paths = estimate.typical_paths
    monkeypatch.setattr(estimate, "typical_paths", lambda content: walks.append("walked") or real_paths(content))
    again = load_content(folder, cache_dir=cache, prepare=estimate.promised_minutes)
    assert estimate.promised_minutes(again) == minutes and walks == []
    assert estimate.promised_minutes(load_content(folder)) == minutes and walks == ["walked"], "without a copy it walks"


def test_a_changed_estimate_rule_is_not_read_from_an_old_copy(folder: Path, tmp_path: Path, monkeypatch) -> None:
    """The key covers the rules' code as well as the content, so a new version never shows an old promise."""
    from kiosk.content import cache as cache_module

    key = content_key(folder, folder.parent / "images")
    monkeypatch.setattr(cache_module, "CODE_FOLDERS", ("content",))
    assert content_key(folder, folder.parent / "images") != key


def test_a_daily_start_hashes_the_content_files_once_for_every_visit_type(folder: Path, tmp_path: Path,
                                                                          monkeypatch) -> None:
    from kiosk.content import cache as cache_module
    from kiosk.content import load_visits

    cache = tmp_path / "cache"
    first = load_visits(folder, cache_dir=cache)
    assert len(first) > 1 and len(_cache_files(cache)) == len(first), "each visit type has its own copy"
    hashed: list[Path] = []

    def counting(content: Path, images: Path) -> str:
        hashed.append(content)
        return content_key(content, images)

    monkeypatch.setattr(cache_module, "content_key", counting)
    again = load_visits(folder, cache_dir=cache)
    assert hashed == [folder], "every file is read and hashed once a start, not once per visit type"
    assert {visit: content.files for visit, content in again.items()} == {v: c.files for v, c in first.items()}
