#!/usr/bin/env python3
"""Vendor pinned front-end packages from the npm registry into this repository.

Why: pages must never load anything from another host (GDPR), and the site must not need
Node at run time. So the few front-end packages we use are copied into the repository
from the npm registry, at pinned versions, by this script.

What it does, for every package listed in scripts/vendor.json:

1. ``npm pack NAME@VERSION --json`` in a temporary directory. npm downloads the tarball and
   verifies it against the integrity hash published in the registry metadata; we record the
   ``integrity`` and ``shasum`` npm reports and re-hash the tarball ourselves as well.
2. Read the tarball (nothing is extracted to disk) and copy the mapped files into the
   package's target directory, which is deleted first, so runs are idempotent.
3. Write static/vendor/VENDORED.json (name, version, licence, integrity, files with sha256)
   and static/vendor/README.md (how to update).

Only one documented transformation is ever applied to package content: a trailing
``sourceMappingURL`` comment is removed from a JS/CSS file when the source map it points to is
not vendored. Source maps are deliberately not vendored (size), and Django's
ManifestStaticFilesStorage (used via WhiteNoise in production) fails in collectstatic when a
referenced map file is missing. Every such change is recorded per file in VENDORED.json.

Before anything is written, every vendored CSS file is checked: each ``url(...)`` and
``@import`` must be a data: URI, an in-document #fragment, or a relative path to a file that is
vendored too; font files that no vendored CSS references are refused (unused fonts).

Usage::

    python3 scripts/vendor.py                   # vendor everything (needs npm + registry)
    python3 scripts/vendor.py --check           # re-pack and compare with the committed files
    python3 scripts/vendor.py --check --offline # no network: compare files with VENDORED.json

Standard library only (Python 3.11+). npm is needed only to vendor or for ``--check`` without
``--offline``; never at run time.
"""

from __future__ import annotations

import argparse
import base64
import fnmatch
import hashlib
import io
import itertools
import json
import os
import posixpath
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

REPO = Path(__file__).resolve().parent.parent
CONFIG_PATH = "scripts/vendor.json"
MANIFEST_PATH = "static/vendor/VENDORED.json"
README_PATH = "static/vendor/README.md"

EXACT_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?(?:\+[0-9A-Za-z.-]+)?$")
GLOB_CHARS = re.compile(r"[*?\[]")
FONT_SUFFIXES = {".woff2", ".woff", ".ttf", ".otf", ".eot"}

# A trailing source map comment, in JS (//# ...) or CSS (/*# ... */) form.
JS_SOURCEMAP = re.compile(rb"\n?//[#@][ \t]*sourceMappingURL=(\S+)[ \t]*\n?\Z")
CSS_SOURCEMAP = re.compile(rb"\n?/\*[#@][ \t]*sourceMappingURL=(\S+?)[ \t]*\*/[ \t]*\n?\Z")

# url(...) with a double-quoted, single-quoted or bare argument; and @import with a string.
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)""", re.IGNORECASE)
CSS_IMPORT = re.compile(
    r"""@import\s+(?:url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)|"([^"]*)"|'([^']*)')""",
    re.IGNORECASE,
)
ABSOLUTE_URL = re.compile(r"""https?://[^\s"'`()<>\\]+""")
# Absolute URL strings that are XML namespace identifiers, never fetched by a browser.
NAMESPACE_URLS = ("http://www.w3.org/",)


class VendorError(Exception):
    """A problem that stops the run; the message says what to do."""


@dataclass(frozen=True)
class Mapping:
    source: str  # path inside the package, may contain glob characters
    dest: str  # path relative to the target dir; ends with "/" for a directory


@dataclass(frozen=True)
class PackageSpec:
    name: str
    version: str
    target: str  # repository-relative POSIX path
    files: tuple[Mapping, ...]
    license_files: tuple[str, ...]  # relative to the target dir
    notes: str


@dataclass
class OutFile:
    path: str  # repository-relative POSIX path
    source: str  # path inside the package
    data: bytes
    modified: str | None = None


@dataclass
class PackResult:
    spec: PackageSpec
    integrity: str
    shasum: str
    tarball: str
    license: str
    files: list[OutFile] = field(default_factory=list)


# --- Configuration -------------------------------------------------------------------------


def _safe_relpath(value: object, what: str) -> str:
    """Return ``value`` as a normalised relative POSIX path, refusing anything that escapes."""
    if not isinstance(value, str) or not value:
        raise VendorError(f"{what}: expected a non-empty string, got {value!r}")
    path = PurePosixPath(value)
    if path.is_absolute() or ".." in path.parts or "\\" in value:
        raise VendorError(f"{what}: {value!r} must be a relative path without '..'")
    normalised = str(path)
    return normalised + "/" if value.endswith("/") else normalised


def load_config(repo: Path) -> list[PackageSpec]:
    """Read and validate scripts/vendor.json."""
    try:
        raw = json.loads((repo / CONFIG_PATH).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise VendorError(f"cannot read {CONFIG_PATH}: {exc}") from exc
    specs: list[PackageSpec] = []
    for index, entry in enumerate(raw.get("packages", [])):
        where = f"{CONFIG_PATH} packages[{index}]"
        name, version = entry.get("name"), entry.get("version")
        if not isinstance(name, str) or not name:
            raise VendorError(f"{where}: missing 'name'")
        where = f"{CONFIG_PATH} {name}"
        if not isinstance(version, str) or not EXACT_VERSION.match(version):
            raise VendorError(f"{where}: 'version' must be an exact version, got {version!r}")
        target = _safe_relpath(entry.get("target"), f"{where} target").rstrip("/")
        if "vendor" not in PurePosixPath(target).parts[:-1]:
            # The target is deleted on every run: only allow dirs below a "vendor" folder.
            raise VendorError(f"{where}: target {target!r} must lie below a 'vendor' directory")
        mappings = []
        for item in entry.get("files", []):
            source = _safe_relpath(item.get("from"), f"{where} files.from")
            dest = _safe_relpath(item.get("to"), f"{where} files.to")
            if GLOB_CHARS.search(source) and not dest.endswith("/"):
                raise VendorError(f"{where}: glob {source!r} needs a directory 'to' ending in '/'")
            mappings.append(Mapping(source.rstrip("/"), dest))
        if not mappings:
            raise VendorError(f"{where}: no 'files' mappings")
        license_files = tuple(
            _safe_relpath(p, f"{where} license_files") for p in entry.get("license_files", [])
        )
        if not license_files:
            raise VendorError(f"{where}: list the vendored licence file(s) in 'license_files'")
        notes = entry.get("notes", "")
        specs.append(PackageSpec(name, version, target, tuple(mappings), license_files, str(notes)))
    if not specs:
        raise VendorError(f"{CONFIG_PATH}: no packages")
    names = [s.name for s in specs]
    if len(set(names)) != len(names):
        raise VendorError(f"{CONFIG_PATH}: a package is listed twice")
    targets = sorted(s.target for s in specs)
    for a, b in itertools.pairwise(targets):
        if a == b or b.startswith(a + "/"):
            raise VendorError(f"{CONFIG_PATH}: target dirs overlap: {a!r} and {b!r}")
    return specs


# --- npm pack and tarball reading ----------------------------------------------------------


def _npm() -> str:
    npm = shutil.which("npm")
    if not npm:
        raise VendorError(
            "npm not found. It is needed only to vendor or to --check against the registry "
            "(use --check --offline to verify the committed files without it)."
        )
    return npm


def _verify_hash(data: bytes, integrity: str, shasum: str, spec: PackageSpec) -> None:
    """Re-hash the tarball npm wrote and compare with what npm reported."""
    algorithm, _, expected = integrity.partition("-")
    if algorithm not in {"sha512", "sha384", "sha256", "sha1"}:
        raise VendorError(f"{spec.name}: unexpected integrity format {integrity!r}")
    digest = base64.b64encode(hashlib.new(algorithm, data).digest()).decode()
    if digest != expected:
        raise VendorError(f"{spec.name}@{spec.version}: tarball does not match {integrity}")
    if hashlib.sha1(data, usedforsecurity=False).hexdigest() != shasum:
        raise VendorError(f"{spec.name}@{spec.version}: tarball does not match shasum {shasum}")


def _read_tarball(data: bytes) -> dict[str, bytes]:
    """Map package-relative paths to file contents, without extracting to disk."""
    contents: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        for member in tar:
            if not member.isfile():
                continue
            # Registry tarballs have one top-level folder (normally "package/"): drop it.
            parts = PurePosixPath(member.name).parts[1:]
            if not parts or ".." in parts:
                continue
            handle = tar.extractfile(member)
            if handle is not None:
                contents["/".join(parts)] = handle.read()
    return contents


def npm_pack(spec: PackageSpec, workdir: Path) -> tuple[dict, dict[str, bytes]]:
    """Run ``npm pack`` for one pinned package; return npm's report and the package files."""
    env = dict(os.environ, npm_config_fund="false", npm_config_audit="false")
    env["npm_config_update_notifier"] = "false"
    command = [_npm(), "pack", f"{spec.name}@{spec.version}", "--json", "--ignore-scripts"]
    # The arguments come from our own pinned config, and no shell is involved.
    proc = subprocess.run(  # noqa: S603
        command, cwd=workdir, env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise VendorError(
            f"npm pack {spec.name}@{spec.version} failed (exit {proc.returncode}):\n"
            + proc.stderr.strip()
        )
    try:
        report = json.loads(proc.stdout)[0]
    except (ValueError, IndexError, KeyError) as exc:
        raise VendorError(f"npm pack {spec.name}: unexpected output {proc.stdout!r}") from exc
    if report.get("name") != spec.name or report.get("version") != spec.version:
        raise VendorError(
            f"npm pack {spec.name}@{spec.version} returned "
            f"{report.get('name')}@{report.get('version')}"
        )
    tarball = workdir / report["filename"]
    data = tarball.read_bytes()
    _verify_hash(data, report["integrity"], report["shasum"], spec)
    tarball.unlink()
    return report, _read_tarball(data)


# --- Selecting and transforming files ------------------------------------------------------


def _glob_match(pattern: str, path: str) -> bool:
    """Match segment by segment, so that ``*`` never crosses a ``/``."""
    pattern_parts, path_parts = pattern.split("/"), path.split("/")
    return len(pattern_parts) == len(path_parts) and all(
        fnmatch.fnmatchcase(part, pat) for part, pat in zip(path_parts, pattern_parts, strict=True)
    )


def select_files(spec: PackageSpec, contents: dict[str, bytes]) -> list[OutFile]:
    """Apply the file mappings of one package to its contents."""
    selected: dict[str, OutFile] = {}
    for mapping in spec.files:
        if GLOB_CHARS.search(mapping.source):
            sources = sorted(p for p in contents if _glob_match(mapping.source, p))
        else:
            sources = [mapping.source] if mapping.source in contents else []
        if not sources:
            raise VendorError(
                f"{spec.name}@{spec.version}: no file in the package matches {mapping.source!r}"
            )
        for source in sources:
            if mapping.dest.endswith("/"):
                dest = mapping.dest + posixpath.basename(source)
            else:
                dest = mapping.dest
            path = f"{spec.target}/{dest}"
            if path in selected:
                raise VendorError(f"{spec.name}: two mappings write {path}")
            selected[path] = OutFile(path, source, contents[source])
    for license_file in spec.license_files:
        if f"{spec.target}/{license_file}" not in selected:
            raise VendorError(f"{spec.name}: licence file {license_file!r} is not vendored")
    return [selected[p] for p in sorted(selected)]


def strip_missing_sourcemaps(files: list[OutFile]) -> None:
    """Remove a trailing sourceMappingURL comment whose map is not vendored (see module doc)."""
    paths = {f.path for f in files}
    for out in files:
        pattern = {".js": JS_SOURCEMAP, ".css": CSS_SOURCEMAP}.get(PurePosixPath(out.path).suffix)
        match = pattern.search(out.data) if pattern else None
        if not match:
            continue
        map_url = match.group(1).decode("utf-8", "replace")
        if map_url.startswith("data:"):
            continue
        map_path = posixpath.normpath(posixpath.join(posixpath.dirname(out.path), map_url))
        if map_path in paths:
            continue
        out.data = out.data[: match.start()] + b"\n"
        out.modified = (
            f"removed the trailing 'sourceMappingURL={map_url}' comment: the source map is not "
            "vendored and Django's ManifestStaticFilesStorage would fail on the missing file"
        )


# --- Checks on vendored content ------------------------------------------------------------


def _css_references(text: str) -> list[tuple[str, str]]:
    """Return (kind, url) for every url(...) and @import in a stylesheet."""
    refs = []
    for match in CSS_URL.finditer(text):
        refs.append(("url()", next(g for g in match.groups() if g is not None)))
    for match in CSS_IMPORT.finditer(text):
        refs.append(("@import", next(g for g in match.groups() if g is not None)))
    return refs


def check_css(files: dict[str, bytes]) -> list[str]:
    """Every CSS reference must stay inside the vendored tree; fonts must be referenced."""
    errors = []
    referenced: set[str] = set()
    for path, data in sorted(files.items()):
        if not path.endswith(".css"):
            continue
        text = data.decode("utf-8", "replace")
        for kind, url in _css_references(text):
            url = url.strip()
            if kind == "@import":
                errors.append(f"{path}: {kind} {url!r} (imports are not allowed in vendored CSS)")
            if url.lower().startswith("data:") or (url.startswith("#") and kind == "url()"):
                continue  # inline data, or an in-document fragment such as url(#default#VML)
            if re.match(r"^[a-z][a-z0-9+.-]*:|^//", url, re.IGNORECASE):
                errors.append(f"{path}: {kind} {url!r} points to another host")
                continue
            if url.startswith("/"):
                errors.append(f"{path}: {kind} {url!r} is absolute; use a relative path")
                continue
            target = re.split(r"[?#]", url, maxsplit=1)[0]
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
            if resolved not in files:
                errors.append(f"{path}: {kind} {url!r} -> {resolved} is not vendored")
            referenced.add(resolved)
    for path in sorted(files):
        if PurePosixPath(path).suffix in FONT_SUFFIXES and path not in referenced:
            errors.append(f"{path}: font file not referenced by any vendored CSS (unused)")
    return errors


def absolute_url_strings(files: dict[str, bytes]) -> dict[str, list[str]]:
    """List http(s):// strings in vendored JS/CSS (XML namespaces left out) for human review."""
    found = {}
    for path, data in sorted(files.items()):
        if PurePosixPath(path).suffix not in {".js", ".css"}:
            continue
        urls = {
            u.rstrip(".,;")
            for u in ABSOLUTE_URL.findall(data.decode("utf-8", "replace"))
            if not u.startswith(NAMESPACE_URLS)
        }
        if urls:
            found[path] = sorted(urls)
    return found


# --- Manifest and README -------------------------------------------------------------------


def build_manifest(results: list[PackResult]) -> dict:
    packages = []
    for result in results:
        spec = result.spec
        entry = {
            "name": spec.name,
            "version": spec.version,
            "license": result.license,
            "license_files": [f"{spec.target}/{p}" for p in spec.license_files],
            "integrity": result.integrity,
            "shasum": result.shasum,
            "tarball": result.tarball,
            "target": spec.target,
            "notes": spec.notes,
            "files": [],
        }
        for out in result.files:
            item = {
                "path": out.path,
                "source": out.source,
                "size": len(out.data),
                "sha256": hashlib.sha256(out.data).hexdigest(),
            }
            if out.modified:
                item["modified"] = out.modified
            entry["files"].append(item)
        packages.append(entry)
    return {
        "_comment": (
            f"Generated by scripts/vendor.py from {CONFIG_PATH}; do not edit. "
            "See static/vendor/README.md."
        ),
        "packages": packages,
    }


def manifest_text(manifest: dict) -> str:
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def _human_size(size: int) -> str:
    return f"{size / 1024:.1f} KiB" if size < 1024 * 1024 else f"{size / 1024 / 1024:.2f} MiB"


def render_readme(manifest: dict) -> str:
    """README for static/vendor, rendered from the manifest alone (so it can be checked offline)."""
    rows, modified, notes = [], [], []
    for pkg in manifest["packages"]:
        size = sum(f["size"] for f in pkg["files"])
        rows.append(
            f"| `{pkg['name']}` | {pkg['version']} | {pkg['license']} | `{pkg['target']}/` "
            f"| {len(pkg['files'])} | {_human_size(size)} |"
        )
        modified += [f"- `{f['path']}`: {f['modified']}." for f in pkg["files"] if "modified" in f]
        if pkg["notes"]:
            notes.append(f"- `{pkg['name']}`: {pkg['notes']}")
    lines = [
        "# Vendored front-end packages",
        "",
        "Generated by `scripts/vendor.py`; do not edit files here by hand.",
        "",
        "These files are copied from the npm registry at pinned versions so that no page loads",
        "anything from another host (GDPR) and no Node is needed at run time. The registry",
        "integrity hash of every package, and the sha256 of every vendored file, are recorded in",
        "`static/vendor/VENDORED.json`.",
        "",
        "| Package | Version | Licence | Target | Files | Size |",
        "| --- | --- | --- | --- | --- | --- |",
        *rows,
        "",
        "## Updating",
        "",
        "1. Edit `scripts/vendor.json`: change a `version`, or the file mappings",
        "   (`from` is a path inside the npm package, globs allowed within one path segment;",
        "   `to` is relative to `target`, and a `to` ending in `/` keeps the file name).",
        "2. Run `make vendor` (that is `python3 scripts/vendor.py`; it needs npm and the",
        "   registry). Every target directory is deleted and rewritten, so runs are idempotent.",
        "3. Review the diff, the licences, and any absolute URLs the script lists, then commit",
        "   `scripts/vendor.json` together with the vendored files, `VENDORED.json` and this",
        "   README.",
        "",
        "The script refuses CSS whose `url(...)` or `@import` would leave the vendored tree",
        "(only relative paths to vendored files, `data:` URIs and `#fragments` are allowed) and",
        "font files that no vendored CSS references. Source maps, SCSS and unused fonts are not",
        "vendored.",
        "",
        "## Verifying",
        "",
        "- `python3 scripts/vendor.py --check` re-packs every package from the registry and fails",
        "  if a committed file, `VENDORED.json` or this README differs from what it would write.",
        "- `python3 scripts/vendor.py --check --offline` needs no network: it compares the files",
        "  with the sha256 sums in `VENDORED.json` and checks the CSS references.",
        "",
        "## Changes to package content",
        "",
        *(modified or ["None."]),
        "",
        "## Notes",
        "",
        *(notes or ["None."]),
        "",
    ]
    return "\n".join(lines)


# --- Commands ------------------------------------------------------------------------------


def pack_all(specs: list[PackageSpec]) -> list[PackResult]:
    """Pack every package and prepare its files; nothing is written to the repository yet."""
    results = []
    with tempfile.TemporaryDirectory(prefix="vendor-") as tmp:
        for spec in specs:
            print(f"npm pack {spec.name}@{spec.version} ...", flush=True)
            report, contents = npm_pack(spec, Path(tmp))
            package_json = json.loads(contents.get("package.json", b"{}"))
            files = select_files(spec, contents)
            strip_missing_sourcemaps(files)
            results.append(
                PackResult(
                    spec=spec,
                    integrity=report["integrity"],
                    shasum=report["shasum"],
                    tarball=report["filename"],
                    license=str(package_json.get("license", "UNKNOWN")),
                    files=files,
                )
            )
    all_files = {f.path: f.data for r in results for f in r.files}
    errors = check_css(all_files)
    if errors:
        raise VendorError("vendored CSS would reach outside the tree:\n  " + "\n  ".join(errors))
    return results


def _load_manifest(repo: Path) -> dict | None:
    path = repo / MANIFEST_PATH
    if not path.exists():
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise VendorError(f"{MANIFEST_PATH} is not valid JSON: {exc}") from exc


def _tree_files(repo: Path, target: str) -> set[str]:
    root = repo / target
    if not root.exists():
        return set()
    return {p.relative_to(repo).as_posix() for p in root.rglob("*") if p.is_file()}


def _print_url_report(files: dict[str, bytes]) -> None:
    found = absolute_url_strings(files)
    if found:
        print("\nAbsolute URL strings in vendored JS/CSS (review: none may be fetched on load):")
        for path, urls in found.items():
            print(f"  {path}:")
            for url in urls:
                print(f"    {url}")


def vendor(repo: Path) -> None:
    specs = load_config(repo)
    old = _load_manifest(repo)
    results = pack_all(specs)
    # A published npm version is immutable: a different hash for the same version means the
    # registry (or a mirror in between) served something else. Stop and let a human look.
    old_by_name = {p["name"]: p for p in (old or {}).get("packages", [])}
    for result in results:
        previous = old_by_name.get(result.spec.name)
        if (
            previous
            and previous["version"] == result.spec.version
            and previous["integrity"] != result.integrity
        ):
            raise VendorError(
                f"{result.spec.name}@{result.spec.version}: registry integrity "
                f"{result.integrity} differs from the recorded {previous['integrity']}. "
                f"Published versions never change; investigate before removing the entry "
                f"from {MANIFEST_PATH}."
            )
    new_targets = {r.spec.target for r in results}
    stale = [p["target"] for p in old_by_name.values() if p["target"] not in new_targets]
    for target in stale:
        target = _safe_relpath(target, f"{MANIFEST_PATH} target").rstrip("/")
        if "vendor" in PurePosixPath(target).parts[:-1] and (repo / target).is_dir():
            print(f"removing {target}/ (no longer in {CONFIG_PATH})")
            shutil.rmtree(repo / target)
    for result in results:
        root = repo / result.spec.target
        if root.exists():
            shutil.rmtree(root)
        for out in result.files:
            dest = repo / out.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(out.data)
            dest.chmod(0o644)
    manifest = build_manifest(results)
    (repo / MANIFEST_PATH).parent.mkdir(parents=True, exist_ok=True)
    (repo / MANIFEST_PATH).write_text(manifest_text(manifest), encoding="utf-8")
    (repo / README_PATH).write_text(render_readme(manifest), encoding="utf-8")
    print()
    for result in results:
        size = sum(len(f.data) for f in result.files)
        print(
            f"{result.spec.name}@{result.spec.version} -> {result.spec.target}/ "
            f"({len(result.files)} files, {_human_size(size)})\n    {result.integrity}"
        )
        for out in result.files:
            if out.modified:
                print(f"    modified {out.path}: {out.modified}")
    total = sum(len(f.data) for r in results for f in r.files)
    print(f"total {_human_size(total)}; wrote {MANIFEST_PATH} and {README_PATH}")
    _print_url_report({f.path: f.data for r in results for f in r.files})


def check_online(repo: Path) -> list[str]:
    """Re-pack from the registry and compare with what is committed."""
    specs = load_config(repo)
    results = pack_all(specs)
    errors = []
    for result in results:
        expected = {f.path: f for f in result.files}
        present = _tree_files(repo, result.spec.target)
        label = f"{result.spec.name}@{result.spec.version}"
        for path in sorted(expected.keys() - present):
            errors.append(f"{path}: missing (expected from {label}:{expected[path].source})")
        for path in sorted(present - expected.keys()):
            errors.append(f"{path}: not part of {label} per {CONFIG_PATH}")
        for path in sorted(expected.keys() & present):
            if (repo / path).read_bytes() != expected[path].data:
                how = " (after the documented transform)" if expected[path].modified else ""
                errors.append(f"{path}: differs from {label}:{expected[path].source}{how}")
    manifest = build_manifest(results)
    errors += _compare_text(repo, MANIFEST_PATH, manifest_text(manifest))
    errors += _compare_text(repo, README_PATH, render_readme(manifest))
    return errors


def _compare_text(repo: Path, rel: str, expected: str) -> list[str]:
    path = repo / rel
    if not path.exists():
        return [f"{rel}: missing"]
    if path.read_text(encoding="utf-8") != expected:
        return [f"{rel}: differs from what scripts/vendor.py would write"]
    return []


def check_offline(repo: Path) -> list[str]:
    """Without network: the committed files must match VENDORED.json and scripts/vendor.json."""
    specs = load_config(repo)
    manifest = _load_manifest(repo)
    if manifest is None:
        return [f"{MANIFEST_PATH}: missing; run `make vendor`"]
    errors = []
    recorded = {p["name"]: p for p in manifest.get("packages", [])}
    configured = {s.name: s for s in specs}
    for name in sorted(configured.keys() - recorded.keys()):
        errors.append(f"{name}: in {CONFIG_PATH} but not vendored; run `make vendor`")
    for name in sorted(recorded.keys() - configured.keys()):
        errors.append(f"{name}: vendored but no longer in {CONFIG_PATH}; run `make vendor`")
    files: dict[str, bytes] = {}
    for name in sorted(configured.keys() & recorded.keys()):
        spec, pkg = configured[name], recorded[name]
        if (pkg["version"], pkg["target"]) != (spec.version, spec.target):
            errors.append(
                f"{name}: {CONFIG_PATH} pins {spec.version} in {spec.target}, but "
                f"{pkg['version']} in {pkg['target']} is vendored; run `make vendor`"
            )
            continue
        listed = {f["path"]: f for f in pkg["files"]}
        present = _tree_files(repo, spec.target)
        for path in sorted(listed.keys() - present):
            errors.append(f"{path}: missing; run `make vendor`")
        for path in sorted(present - listed.keys()):
            errors.append(f"{path}: not listed in {MANIFEST_PATH}")
        for path in sorted(listed.keys() & present):
            data = (repo / path).read_bytes()
            files[path] = data
            if hashlib.sha256(data).hexdigest() != listed[path]["sha256"]:
                errors.append(f"{path}: sha256 differs from {MANIFEST_PATH} (edited by hand?)")
    errors += check_css(files)
    errors += _compare_text(repo, README_PATH, render_readme(manifest))
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Vendor pinned npm packages listed in scripts/vendor.json into the repo."
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; fail if the committed files differ from the packages",
    )
    parser.add_argument(
        "--offline",
        action="store_true",
        help="with --check: no npm/network, compare against the hashes in VENDORED.json",
    )
    parser.add_argument("--repo", type=Path, default=REPO, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.offline and not args.check:
        parser.error("--offline only makes sense with --check")
    repo = args.repo.resolve()
    try:
        if not args.check:
            vendor(repo)
            return 0
        errors = check_offline(repo) if args.offline else check_online(repo)
    except VendorError as exc:
        print(f"vendor.py: error: {exc}", file=sys.stderr)
        return 1
    if errors:
        print("vendor.py: check FAILED:", file=sys.stderr)
        for error in errors:
            print(f"  {error}", file=sys.stderr)
        print("Run `make vendor` (python3 scripts/vendor.py) to restore.", file=sys.stderr)
        return 1
    mode = "offline, against VENDORED.json" if args.offline else "against the npm registry"
    print(f"vendor.py: check OK ({mode})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
