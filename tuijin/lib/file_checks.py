"""What an uploaded file really is, judged by its bytes and never by its name.

Used by every upload (evidence, attachments, manual-score evidence, imports): web pages, SVG and XML, programs
and scripts are refused even when renamed to .jpg or .pdf; Office files are opened as zip archives only after
their declared sizes and entry count are found sane (zip bombs), and refused with macros; PDFs are refused when
they carry JavaScript or launch actions.

The PDF check is a plain byte scan of the file's object names, plus the compressed object streams (where
PDF 1.5+ may hide dictionaries). It does not parse the PDF: it cannot see into encrypted streams, so an
encrypted PDF passes when its unencrypted dictionaries show nothing. Anything it misses still reaches users
only as a download (`Content-Disposition: attachment`, `nosniff`), never rendered by the site.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .doc / .xls
PDF_MAGIC = b"%PDF-"

# Office files: an .xlsx or .docx of a few MB holds far less than this when unpacked; a zip bomb far more.
OFFICE_MAX_UNCOMPRESSED = 256 * 1024 * 1024
OFFICE_MAX_ENTRIES = 10_000
# PDF object streams decompressed for the scan, at most this much in all (a PDF is no bomb for us either).
PDF_SCAN_BUDGET = 32 * 1024 * 1024

_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_PROGRAM_MAGICS = (
    b"MZ",  # Windows programs and libraries (.exe, .dll, .scr)
    b"\x7fELF",  # Linux programs
    b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe",  # macOS programs
    b"\xca\xfe\xba\xbe",  # macOS universal programs, Java classes
    b"#!",  # shell, Python, Perl… scripts
    b"dex\n",  # Android
    b"\x00asm",  # WebAssembly
    b"L\x00\x00\x00\x01\x14\x02\x00",  # Windows shortcuts (.lnk)
)  # fmt: skip
# Markup a browser would run; looked for anywhere in photos and PDFs (polyglots: an image that is also a page).
_ACTIVE_MARKUP = re.compile(
    rb"<(?:script|html|svg|iframe|body|object|embed)[\s>/:]|<!doctype\s+html", re.IGNORECASE
)
_PDF_NAME = re.compile(rb"/([^\s/<>\[\]()%{}]+)")
_PDF_DANGEROUS = {b"javascript": "JavaScript", b"js": "JavaScript", b"launch": "Launch"}
_PDF_STREAM = re.compile(rb"stream\r?\n")
_VBA_OLE = "_VBA_PROJECT".encode("utf-16-le")
_MACRO_PARTS = re.compile(
    r"(^|/)(vbaProject\.bin|vbaProjectSignature\.bin|activeX[^/]*\.bin)$", re.IGNORECASE
)


def _refuse(message: str, name: str, **extra) -> ValidationError:
    return ValidationError(message % {"name": name, **extra})


def _text_start(head: bytes) -> bytes:
    """The first bytes as lower-case ASCII-ish text, without byte-order mark, UTF-16 zeros or leading blanks."""
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    if head[1:2] == b"\x00" or head[:1] == b"\x00":  # UTF-16 text
        head = head.replace(b"\x00", b"")
    return head.lstrip().lower()


def refuse_active_content(name: str, content: bytes) -> None:
    """Refuse web pages, SVG and XML, programs and scripts, whatever the file's name says."""
    head = content[:1024]
    if head.startswith(_PROGRAM_MAGICS):
        raise _refuse(
            _("%(name)s is a program or a script; such files are not accepted, whatever their name."), name
        )
    text = _text_start(head)
    if text.startswith(b"<"):
        raise _refuse(
            _(
                "%(name)s is a web page, an SVG drawing or an XML file, which can carry scripts; such files are "
                "not accepted, whatever their name."
            ),
            name,
        )


def refuse_hidden_markup(name: str, content: bytes) -> None:
    """A photo or PDF that also holds a web page or script (a polyglot) is refused."""
    if _ACTIVE_MARKUP.search(content):
        raise _refuse(_("%(name)s hides web-page or script code inside the file; it is not accepted."), name)


def _seekable(source) -> io.IOBase:
    if isinstance(source, bytes | bytearray | memoryview):
        return io.BytesIO(source)
    source.seek(0)
    return source


def check_office_zip(name: str, source) -> set[str]:
    """The entry names of an .xlsx/.docx (bytes or a seekable file, which is not read whole) after checking it
    is a sane zip without macros; else ValidationError."""
    try:
        with zipfile.ZipFile(_seekable(source)) as archive:
            entries = archive.infolist()
            if len(entries) > OFFICE_MAX_ENTRIES:
                raise _refuse(
                    _("%(name)s holds %(count)d parts; an Office file has far fewer. It is not accepted."),
                    name,
                    count=len(entries),
                )
            # Python's zip reader never unpacks more than these declared sizes, so they bound the memory used.
            unpacked = sum(entry.file_size for entry in entries)
            if unpacked > OFFICE_MAX_UNCOMPRESSED:
                raise _refuse(
                    _(
                        "%(name)s would unpack to %(size)d MB (at most %(limit)d MB): it looks like a zip bomb and "
                        "is not accepted."
                    ),
                    name,
                    size=unpacked // 1048576,
                    limit=OFFICE_MAX_UNCOMPRESSED // 1048576,
                )
            names = {entry.filename for entry in entries}
            if any(_MACRO_PARTS.search(n) for n in names) or _declares_macros(archive, entries):
                raise _refuse(_macro_message(), name)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, ValueError, OSError, EOFError) as exc:
        raise _refuse(_("%(name)s is damaged: it cannot be opened as an Office file."), name) from exc
    finally:
        if not isinstance(source, bytes | bytearray | memoryview):
            source.seek(0)
    return names


def _declares_macros(archive: zipfile.ZipFile, entries: list[zipfile.ZipInfo]) -> bool:
    """Whether [Content_Types].xml declares a VBA project or ActiveX part, whatever the part is called."""
    for entry in entries:
        if entry.filename == "[Content_Types].xml" and entry.file_size < 1024 * 1024:
            declared = archive.read(entry).lower()
            return any(word in declared for word in (b"vbaproject", b"macroenabled", b"activex"))
    return False


def _macro_message() -> str:
    return _(
        "%(name)s contains macros (VBA) or ActiveX controls, which can run programs; save it without macros "
        "(as .xlsx or .docx) and upload it again."
    )


def check_ole(name: str, content: bytes) -> None:
    """Legacy .doc/.xls: refused when they carry a VBA project."""
    if _VBA_OLE in content:
        raise _refuse(_macro_message(), name)


def _pdf_names(data: bytes) -> set[bytes]:
    found = set()
    for match in _PDF_NAME.finditer(data):
        raw = match.group(1)
        if b"#" in raw:  # /J#61vaScript is /JavaScript
            raw = re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), raw)
        found.add(raw.lower())
    return found


def _object_streams(data: bytes):
    """The decompressed content of the PDF's object streams (/Type /ObjStm), within PDF_SCAN_BUDGET."""
    budget = PDF_SCAN_BUDGET
    for match in _PDF_STREAM.finditer(data):
        dictionary = data[max(0, match.start() - 300) : match.start()]
        if b"/ObjStm" not in dictionary or b"/FlateDecode" not in dictionary:
            continue
        try:
            chunk = zlib.decompressobj().decompress(data[match.end() : match.end() + budget], budget)
        except zlib.error:
            continue
        budget -= len(chunk)
        yield chunk
        if budget <= 0:
            return


def check_pdf(name: str, content: bytes) -> None:
    """Refuse a PDF that runs JavaScript or launches programs (a byte scan of its names, see the module doc)."""
    names = _pdf_names(content)
    for chunk in _object_streams(content):
        names |= _pdf_names(chunk)
    for key, label in _PDF_DANGEROUS.items():
        if key in names:
            raise _refuse(
                _(
                    "%(name)s contains %(what)s actions, which can run code when it is opened; it is not accepted."
                ),
                name,
                what=label,
            )
