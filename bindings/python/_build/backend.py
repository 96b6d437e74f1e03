"""A PEP 517 / PEP 660 build backend for the servgap package, standard
library only, so that ``pip install ./bindings/python`` needs nothing from
an index (pyproject.toml: ``requires = []``, ``backend-path = ["_build"]``).

It builds:

- a pure-Python wheel (``py3-none-any``) of the packages listed under
  ``[tool.servgap-build] packages``, with METADATA, WHEEL, top_level.txt
  and RECORD (sha256 of every file), per the wheel spec (PEP 427 / 491);
- an sdist (``.tar.gz``) of the packages plus ``sdist-include``, with
  PKG-INFO;
- an editable wheel (PEP 660) holding one ``.pth`` file that puts this
  directory on sys.path.

Archives are reproducible: entries are sorted, and every timestamp is
SOURCE_DATE_EPOCH (default 1980-01-01, the earliest a zip can hold).
Hooks run with the current directory at the project root (PEP 517).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import os
import re
import tarfile
import time
import zipfile

WHEEL_TAG = "py3-none-any"
GENERATOR = "servgap-build-backend 1.0"

# ---------------------------------------------------------------------------
# pyproject.toml


def _parse_toml_subset(text):
    """A parser for the TOML this project's pyproject.toml uses, for
    Pythons without tomllib (before 3.11): [tables], key = "string",
    integers, booleans, arrays of strings (possibly over several lines)
    and inline tables of strings. Comments and blank lines are skipped."""
    data, table = {}, None
    cur = data
    pending = None
    for raw in text.splitlines():
        line = raw.split("#", 1)[0].strip() if '"' not in raw else _strip_comment(raw).strip()
        if pending is not None:
            pending[1] += " " + line
            if _balanced(pending[1]):
                cur[pending[0]] = _value(pending[1])
                pending = None
            continue
        if not line:
            continue
        m = re.match(r"^\[([A-Za-z0-9_.\-]+)\]$", line)
        if m:
            cur = data
            for part in m.group(1).split("."):
                cur = cur.setdefault(part, {})
            table = m.group(1)
            continue
        key, sep, val = line.partition("=")
        if not sep:
            raise ValueError("pyproject.toml: cannot parse %r" % raw)
        key, val = key.strip().strip('"'), val.strip()
        if _balanced(val):
            cur[key] = _value(val)
        else:
            pending = [key, val]
    del table
    return data


def _strip_comment(line):
    out, quoted = [], False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        if ch == "#" and not quoted:
            break
        out.append(ch)
    return "".join(out)


def _balanced(val):
    depth, quoted = 0, False
    for ch in val:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[{":
            depth += 1
        elif not quoted and ch in "]}":
            depth -= 1
    return depth == 0


def _value(val):
    val = val.strip()
    if val.startswith('"'):
        return val[1:-1].encode("utf-8").decode("unicode_escape")
    if val in ("true", "false"):
        return val == "true"
    if val.startswith("["):
        return [_value(v) for v in _split(val[1:-1])]
    if val.startswith("{"):
        out = {}
        for item in _split(val[1:-1]):
            k, _, v = item.partition("=")
            out[k.strip()] = _value(v)
        return out
    return int(val)


def _split(body):
    items, cur, depth, quoted = [], [], 0, False
    for ch in body:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in "[{":
            depth += 1
        elif not quoted and ch in "]}":
            depth -= 1
        if ch == "," and depth == 0 and not quoted:
            items.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    items.append("".join(cur))
    return [i.strip() for i in items if i.strip()]


def _pyproject():
    with open("pyproject.toml", "rb") as f:
        raw = f.read()
    try:
        import tomllib
    except ImportError:
        return _parse_toml_subset(raw.decode("utf-8"))
    return tomllib.loads(raw.decode("utf-8"))


class _Project:
    def __init__(self):
        doc = _pyproject()
        p = doc["project"]
        self.name = p["name"]
        self.version = p["version"]
        self.summary = p.get("description", "")
        self.requires_python = p.get("requires-python")
        self.license = (p.get("license") or {}).get("text")
        self.keywords = p.get("keywords", [])
        self.classifiers = p.get("classifiers", [])
        self.dependencies = p.get("dependencies", [])
        readme = p.get("readme")
        self.description = ""
        if readme and os.path.exists(readme):
            with open(readme, encoding="utf-8") as f:
                self.description = f.read()
        tool = doc.get("tool", {}).get("servgap-build", {})
        self.packages = tool.get("packages", [self.name])
        self.sdist_include = tool.get("sdist-include", ["pyproject.toml"])
        self.dist = re.sub(r"[-_.]+", "_", self.name).lower()

    @property
    def dist_info(self):
        return "%s-%s.dist-info" % (self.dist, self.version)

    def metadata(self):
        lines = [
            "Metadata-Version: 2.1",
            "Name: %s" % self.name,
            "Version: %s" % self.version,
        ]
        if self.summary:
            lines.append("Summary: %s" % self.summary)
        if self.license:
            lines.append("License: %s" % self.license)
        if self.keywords:
            lines.append("Keywords: %s" % ",".join(self.keywords))
        for c in self.classifiers:
            lines.append("Classifier: %s" % c)
        if self.requires_python:
            lines.append("Requires-Python: %s" % self.requires_python)
        for d in self.dependencies:
            lines.append("Requires-Dist: %s" % d)
        text = "\n".join(lines) + "\n"
        if self.description:
            text += "Description-Content-Type: text/markdown\n\n" + self.description
        return text.encode("utf-8")

    def wheel_file(self):
        return ("Wheel-Version: 1.0\nGenerator: %s\nRoot-Is-Purelib: true\nTag: %s\n"
                % (GENERATOR, WHEEL_TAG)).encode("utf-8")

    def package_files(self):
        """(archive path, file path) of every file of the packages, sorted."""
        out = []
        for pkg in self.packages:
            base = pkg.replace(".", "/")
            for dirpath, dirnames, filenames in os.walk(base):
                dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
                for fn in sorted(filenames):
                    if fn.endswith((".pyc", ".pyo")) or fn.startswith("."):
                        continue
                    path = os.path.join(dirpath, fn)
                    out.append((path.replace(os.sep, "/"), path))
        return sorted(out)


# ---------------------------------------------------------------------------
# Archives


def _epoch():
    return max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)


def _zip_time():
    return time.gmtime(_epoch())[:6]


def _hash(data):
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _write_wheel(directory, project, files):
    """files: list of (archive path, bytes) outside the dist-info."""
    name = "%s-%s-%s.whl" % (project.dist, project.version, WHEEL_TAG)
    di = project.dist_info
    meta = [
        (di + "/METADATA", project.metadata()),
        (di + "/WHEEL", project.wheel_file()),
        (di + "/top_level.txt", ("\n".join(p.split(".")[0] for p in project.packages) + "\n")
         .encode()),
    ]
    entries = sorted(files) + meta
    record = "".join("%s,%s,%d\n" % (arc, _hash(data), len(data)) for arc, data in entries)
    record += di + "/RECORD,,\n"
    entries.append((di + "/RECORD", record.encode("utf-8")))
    path = os.path.join(directory, name)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for arc, data in entries:
            info = zipfile.ZipInfo(arc, date_time=_zip_time())
            info.external_attr = 0o644 << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    return name


def _read(path):
    with open(path, "rb") as f:
        return f.read()


# ---------------------------------------------------------------------------
# PEP 517 hooks


def get_requires_for_build_wheel(config_settings=None):
    return []


def get_requires_for_build_sdist(config_settings=None):
    return []


def get_requires_for_build_editable(config_settings=None):
    return []


def prepare_metadata_for_build_wheel(metadata_directory, config_settings=None):
    project = _Project()
    di = os.path.join(metadata_directory, project.dist_info)
    os.makedirs(di, exist_ok=True)
    for name, data in (("METADATA", project.metadata()), ("WHEEL", project.wheel_file())):
        with open(os.path.join(di, name), "wb") as f:
            f.write(data)
    return project.dist_info


prepare_metadata_for_build_editable = prepare_metadata_for_build_wheel


def build_wheel(wheel_directory, config_settings=None, metadata_directory=None):
    project = _Project()
    files = [(arc, _read(path)) for arc, path in project.package_files()]
    if not files:
        raise RuntimeError("no package files found under %s" % project.packages)
    return _write_wheel(wheel_directory, project, files)


def build_editable(wheel_directory, config_settings=None, metadata_directory=None):
    project = _Project()
    pth = (os.path.abspath(os.getcwd()) + "\n").encode("utf-8")
    return _write_wheel(wheel_directory, project, [("_%s_editable.pth" % project.dist, pth)])


def build_sdist(sdist_directory, config_settings=None):
    project = _Project()
    root = "%s-%s" % (project.dist, project.version)
    members = [(arc, _read(path)) for arc, path in project.package_files()]
    for rel in project.sdist_include:
        if os.path.isfile(rel):
            members.append((rel.replace(os.sep, "/"), _read(rel)))
    members.append(("PKG-INFO", project.metadata()))
    name = root + ".tar.gz"
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for arc, data in sorted(members):
            info = tarfile.TarInfo("%s/%s" % (root, arc))
            info.size = len(data)
            info.mtime = _epoch()
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))
    with open(os.path.join(sdist_directory, name), "wb") as f:
        with gzip.GzipFile(filename="", mode="wb", fileobj=f, mtime=_epoch()) as gz:
            gz.write(raw.getvalue())
    return name
