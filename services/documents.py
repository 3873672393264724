"""RAT documents (PDF) kept on disk under the data directory, named by their SHA-256 checksum."""
from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

PDF_MAGIC = b"%PDF-"
DOCUMENTS_FOLDER = "documents"


class DocumentRefused(ValueError):
    """An upload that is not kept: not a PDF, empty or too large (the message is for the cooperative)."""


@dataclass(frozen=True)
class StoredDocument:
    name: str  #: the file name as uploaded, for display only
    path: str  #: relative to the data directory
    sha256: str
    size: int


def safe_display_name(name: str | None) -> str:
    """The uploaded file's own name without any folder part, short and printable."""
    base = os.path.basename((name or "").replace("\\", "/")).strip()
    printable = "".join(ch for ch in base if ch.isprintable())
    return (printable or "dokumen.pdf")[:200]


def store_pdf(data_dir: Path, nik: str, chunks: Iterable[bytes], name: str | None, max_bytes: int) -> StoredDocument:
    """Stream the upload to disk, checking its magic bytes and size; the same content is kept once."""
    folder = data_dir / DOCUMENTS_FOLDER / nik
    folder.mkdir(parents=True, exist_ok=True)
    digest, size, head = hashlib.sha256(), 0, b""
    handle = tempfile.NamedTemporaryFile(dir=folder, prefix=".upload-", delete=False)
    try:
        with handle:
            for chunk in chunks:
                size += len(chunk)
                if size > max_bytes:
                    raise DocumentRefused(f"Berkas lebih dari {max_bytes // (1024 * 1024)} MB.")
                if len(head) < len(PDF_MAGIC):
                    head += chunk[: len(PDF_MAGIC) - len(head)]
                digest.update(chunk)
                handle.write(chunk)
        if size == 0:
            raise DocumentRefused("Berkas kosong.")
        if head != PDF_MAGIC:
            raise DocumentRefused("Berkas bukan PDF. Unggah notulen RAT dan laporan keuangan dalam format PDF.")
        checksum = digest.hexdigest()
        target = folder / f"{checksum}.pdf"
        os.replace(handle.name, target)
    except BaseException:
        Path(handle.name).unlink(missing_ok=True)
        raise
    return StoredDocument(safe_display_name(name), f"{DOCUMENTS_FOLDER}/{nik}/{checksum}.pdf", checksum, size)


def document_file(data_dir: Path, relative_path: str) -> Path | None:
    """The stored file, only if it lies inside the documents folder and still exists."""
    root = (data_dir / DOCUMENTS_FOLDER).resolve()
    path = (data_dir / relative_path).resolve()
    if root not in path.parents or not path.is_file():
        return None
    return path


def stored_document(data_dir: Path, nik: str, sha256: str, name: str) -> StoredDocument | None:
    """A document kept earlier (the form shown again after an error keeps its upload by checksum)."""
    if len(sha256) != 64 or any(ch not in "0123456789abcdef" for ch in sha256):
        return None
    relative = f"{DOCUMENTS_FOLDER}/{nik}/{sha256}.pdf"
    path = document_file(data_dir, relative)
    return StoredDocument(safe_display_name(name), relative, sha256, path.stat().st_size) if path else None
