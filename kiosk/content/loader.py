"""Load a content folder into typed models, collecting every error with its file and place."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, TypeVar, get_args, get_type_hints

from kiosk.content.bundle import Content
from kiosk.content.errors import ContentError, ContentInvalid, error, format_loc
from kiosk.content.manifest import INTAKE, Manifest, UiStrings
from kiosk.content.model import ContentFile, Text

if TYPE_CHECKING:
    import yaml

# YAML and pydantic are imported when content is parsed, never for a start that reads the compiled copy.
Model = TypeVar("Model")
MAX_EXPANDED_NODES = 50_000  # the shipped files expand to under 1,000 each; an alias bomb to billions


def load_content(folder: Path, images: Path | None = None, cache_dir: Path | None = None,
                 visit: str = INTAKE, prepare: Callable[[Content], object] | None = None,
                 key: str | None = None) -> Content:
    """Load and check one visit type's questionnaire in `folder` (the intake by default); raise ContentInvalid
    listing every problem, never return a half-built form.

    With `cache_dir`, a compiled copy keyed by the content's hash is used when
    it matches (the daily start), so only changed content is parsed again.
    `prepare` works out the content's `figures` before the copy is kept; `key`, the folder's `content_key` when
    the caller has just worked it out (`load_visits` loads every visit type from the same files).
    """
    folder = Path(folder)
    images = images if images is not None else folder.parent / "images"
    if cache_dir is not None:
        from kiosk.content.cache import cached

        def build() -> Content:
            content = _load_and_check(folder, images, visit)
            if prepare is not None:
                prepare(content)
            return content

        return cached(folder, images, cache_dir, build, visit, key)
    return _load_and_check(folder, images, visit)


def load_visits(folder: Path, images: Path | None = None, cache_dir: Path | None = None,
                prepare: Callable[[Content], object] | None = None) -> dict[str, Content]:
    """Every visit type's questionnaire in `folder`, by visit id, the intake first."""
    key = None
    if cache_dir is not None:  # one hash of the files for every visit type's copy
        from kiosk.content.cache import content_key

        folder = Path(folder)
        try:
            key = content_key(folder, images if images is not None else folder.parent / "images")
        except OSError:
            key = None  # `cached` says why and loads the YAML
    first = load_content(folder, images, cache_dir, prepare=prepare, key=key)
    others = {visit: load_content(folder, images, cache_dir, visit, prepare, key)
              for visit in first.manifest.visit_ids()[1:]}
    return {first.visit: first, **others}


def _yaml() -> Any:
    import yaml

    return yaml


def _safe_loader() -> type:
    """libyaml's parser when present (several times faster), the pure-Python one otherwise."""
    yaml = _yaml()
    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


_ADAPTERS: dict[type, Any] = {}  # one pydantic validator per content model, built on first use


def parse_model(model: type[Model], data: Any) -> Model:
    """`data` (as read from YAML) validated into `model`; raises pydantic's ValidationError."""
    adapter = _ADAPTERS.get(model)
    if adapter is None:
        from pydantic import TypeAdapter

        adapter = _ADAPTERS[model] = TypeAdapter(model)
    result: Model = adapter.validate_python(data)
    return result


def _load_and_check(folder: Path, images: Path, visit: str = INTAKE) -> Content:
    from kiosk.content.checks import cross_check

    errors: list[ContentError] = []
    whole = _load_model(folder, "manifest.yaml", Manifest, errors)
    if whole is None:
        raise ContentInvalid(errors)
    errors += _check_visits(whole)
    manifest = whole.for_visit(visit)
    if manifest is None:
        known = ", ".join(whole.visit_ids())
        errors.append(error("manifest.yaml", "visits", "unknown_visit", visit=visit, known=known))
    if errors or manifest is None:
        raise ContentInvalid(errors)
    ui = _load_model(folder, manifest.ui, UiStrings, errors)
    files: dict[str, ContentFile] = {}
    for name in manifest.files:
        loaded = _load_model(folder, name, ContentFile, errors)
        if loaded is not None:
            files[name] = loaded
    if errors or ui is None:
        raise ContentInvalid(errors)
    content = Content(manifest=manifest, ui=ui, files=files, folder=folder, visit=visit)
    found = cross_check(content, images)
    if found:
        # Line numbers need a second, slower parse: only done when there is an error to point at.
        nodes = {name: _compose(folder / name) for name in {e.file for e in found}}
        raise ContentInvalid([_with_line(e, nodes[e.file]) for e in found])
    return content


def _check_visits(manifest: Manifest) -> list[ContentError]:
    """Visit ids and Questionnaire urls name one questionnaire each."""
    errors: list[ContentError] = []
    seen_ids: dict[str, str] = {INTAKE: "the intake"}
    seen_urls: dict[str, str] = {manifest.url: "the intake"}
    for index, visit in enumerate(manifest.visits):
        place = f"visits[{index}]"
        if visit.id in seen_ids:
            errors.append(error("manifest.yaml", f"{place}.id", "duplicate_id", id=visit.id, first=seen_ids[visit.id]))
        if visit.url in seen_urls:
            errors.append(error("manifest.yaml", f"{place}.url", "duplicate_id", id=visit.url, first=seen_urls[visit.url]))
        seen_ids.setdefault(visit.id, place)
        seen_urls.setdefault(visit.url, place)
    return errors


def check_folder(folder: Path, images: Path | None = None) -> list[ContentError]:
    """Every error in a content folder, every visit type's questionnaire, or an empty list: what `check-content` prints."""
    try:
        first = load_content(folder, images)
    except ContentInvalid as invalid:
        # The manifest itself may be what is broken: then the other visits cannot be named.
        first = None
        errors = list(invalid.errors)
    else:
        errors = []
    visit_ids = first.manifest.visit_ids()[1:] if first is not None else _visit_ids_if_readable(folder)
    for visit in visit_ids:
        try:
            load_content(folder, images, visit=visit)
        except ContentInvalid as invalid:
            errors += [e for e in invalid.errors if e not in errors]
    return errors


def _visit_ids_if_readable(folder: Path) -> list[str]:
    errors: list[ContentError] = []
    manifest = _load_model(folder, "manifest.yaml", Manifest, errors)
    return manifest.visit_ids()[1:] if manifest is not None and not _check_visits(manifest) else []


def _load_model(folder: Path, name: str, model: type, errors: list[ContentError]) -> Any:
    from pydantic import ValidationError

    yaml = _yaml()
    path = folder / name
    if not path.is_file():
        errors.append(error(name, "", "file_missing", path=path))
        return None
    try:
        text = path.read_text(encoding="utf-8")
        blowup = _alias_blowup(text)
        if blowup is not None:
            errors.append(error(name, "", "yaml_alias", line=blowup[0], size=blowup[1], limit=MAX_EXPANDED_NODES))
            return None
        data = yaml.load(text, Loader=_safe_loader())
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", None)
        errors.append(error(name, "", "not_yaml", line=None if line is None else line + 1, detail=str(exc).splitlines()[0]))
        return None
    if not isinstance(data, dict):
        errors.append(error(name, "", "not_mapping", kind=type(data).__name__))
        return None
    try:
        return parse_model(model, data)
    except ValidationError as exc:
        node = _compose(path)
        for item in exc.errors():
            loc = _clean_loc(item["loc"])
            place = format_loc(loc)
            if item["type"] in ("extra_forbidden", "unexpected_keyword_argument"):
                allowed = _allowed_keys(model, tuple(item["loc"])[:-1])
                found = error(name, place, "unknown_key", key=loc[-1], allowed=", ".join(allowed) or "none")
            else:
                found = error(name, place, "schema", detail=item["msg"])
            errors.append(_with_line(found, node, loc))
        return None


PAGE_TAGS = ("info", "consent", "questions")


def _clean_loc(loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """Drop pydantic's union tags (`info`, `questions`...) so the place reads like the YAML.

    The tag comes right after a page's index (`pages, 0, questions, questions, 1`):
    only that one is dropped, never the `questions` field that may follow it.
    """
    cleaned: list[Any] = []
    for index, part in enumerate(loc):
        if part in PAGE_TAGS and index >= 2 and loc[index - 2] == "pages" and isinstance(loc[index - 1], int):
            continue
        if part == "root" or (isinstance(part, str) and part.startswith("function-")):
            continue
        cleaned.append(part)
    return tuple(cleaned)


def _allowed_keys(model: type, loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed at `loc` (pydantic's raw place, union tags included), for the unknown-key message."""
    candidates: list[Any] = [model]
    for part in loc:
        if isinstance(part, int) or part == "root":
            continue
        if len(candidates) > 1:
            # A tagged union (pages): the tag is the `kind` that picks the member.
            tagged = [c for c in candidates if part in get_args(_fields(c)["kind"])]
            if tagged:
                candidates = tagged
                continue
        annotation = _fields(candidates[0]).get(part) if len(candidates) == 1 else None
        if annotation is None:
            return []
        candidates = _inner_models(annotation)
        if not candidates:
            return []
    if len(candidates) != 1 or candidates[0] is Text:
        return []
    return sorted(_fields(candidates[0]))


def _fields(model: type) -> dict[str, Any]:
    """A content model's fields and their types (constraints stripped)."""
    hints = get_type_hints(model)
    return {f.name: hints[f.name] for f in dataclasses.fields(model)}


def _inner_models(annotation: Any) -> list[Any]:
    """The content models an annotation can hold: one, or the members of a union."""
    if isinstance(annotation, type) and dataclasses.is_dataclass(annotation):
        return [annotation]
    found: list[Any] = []
    for arg in get_args(annotation):
        found += [model for model in _inner_models(arg) if model not in found]
    return found


def _alias_blowup(text: str) -> tuple[int, int] | None:
    """(line, size) where the file, with every alias written out, first grows past MAX_EXPANDED_NODES; else None.

    Counted from the parser's events alone, so nothing is expanded: a file of
    nested aliases (a "billion laughs") is refused in milliseconds. Anchors for
    shared option lists stay allowed; they expand to a few hundred nodes.
    """
    anchored: dict[str, int] = {}
    open_nodes: list[list[Any]] = []  # [size so far, anchor] of each collection being read
    total = 0
    yaml = _yaml()
    for event in yaml.parse(text, Loader=_safe_loader()):
        size = None
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            open_nodes.append([1, event.anchor])
            continue
        if isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            size, anchor = open_nodes.pop()
        elif isinstance(event, yaml.ScalarEvent):
            size, anchor = 1, event.anchor
        elif isinstance(event, yaml.AliasEvent):
            size, anchor = anchored.get(event.anchor, 1), None
        if size is None:
            continue
        if anchor is not None:
            anchored[anchor] = size
        if open_nodes:
            open_nodes[-1][0] += size
        else:
            total += size
        grown = total + sum(node[0] for node in open_nodes)
        if grown > MAX_EXPANDED_NODES:
            return event.start_mark.line + 1, grown
    return None


def _compose(path: Path) -> yaml.Node | None:
    yaml = _yaml()
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=_safe_loader())
    except (OSError, yaml.YAMLError, UnicodeDecodeError):
        return None


def _with_line(found: ContentError, node: yaml.Node | None, loc: tuple[Any, ...] | None = None) -> ContentError:
    if found.line is not None or node is None:
        return found
    path = loc if loc is not None else _parse_place(found.place)
    line = _line_of(node, path)
    if line is None:
        return found
    return ContentError(found.file, found.place, found.code, found.message, line)


def _parse_place(place: str) -> tuple[Any, ...]:
    parts: list[Any] = []
    for chunk in place.replace("[", ".[").split("."):
        if not chunk:
            continue
        parts.append(int(chunk[1:-1]) if chunk.startswith("[") else chunk)
    return tuple(parts)


def _line_of(node: yaml.Node, loc: tuple[Any, ...]) -> int | None:
    """The 1-based line of the deepest YAML node the place reaches."""
    line = node.start_mark.line + 1
    for part in loc:
        child = next(_child(node, part), None)
        if child is None:
            break
        node = child
        line = node.start_mark.line + 1
    return line


def _child(node: yaml.Node, part: Any) -> Iterator[yaml.Node]:
    yaml = _yaml()
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == part:
                yield value
    elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        yield node.value[part]
