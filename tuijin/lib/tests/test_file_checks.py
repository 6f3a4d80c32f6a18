"""Judging a file by its bytes: active content, Office zips (bombs, macros), PDFs with scripts."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from tuijin.lib import file_checks
from tuijin.tasks.tests import hostile_files as hostile


@pytest.fixture(autouse=True)
def english():
    """Assertions read the English source strings, whatever translations are compiled."""
    with translation.override("en"):
        yield


def refused(check, *args) -> str:
    with pytest.raises(ValidationError) as caught:
        check(*args)
    return " ".join(caught.value.messages)


@pytest.mark.parametrize(
    "content",
    [
        hostile.svg(),
        hostile.html(),
        b"\xef\xbb\xbf  \n<svg xmlns='http://www.w3.org/2000/svg'/>",
        "<html><script>alert(1)</script></html>".encode("utf-16"),
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><x>&e;</x>',
    ],
)
def test_it_refuses_markup_whatever_its_encoding(content):
    assert "web page, an SVG drawing or an XML file" in refused(
        file_checks.refuse_active_content, "a.jpg", content
    )


@pytest.mark.parametrize(
    "content", [hostile.program(), b"#!/bin/sh\nrm -rf /\n", b"\x7fELF\x02\x01\x01" + b"\x00" * 64]
)
def test_it_refuses_programs_and_scripts(content):
    assert "program or a script" in refused(file_checks.refuse_active_content, "a.pdf", content)


@pytest.mark.parametrize(
    "content", [hostile.jpeg(), hostile.png(), hostile.pdf(), hostile.docx(), hostile.xlsx()]
)
def test_it_lets_ordinary_files_through(content):
    file_checks.refuse_active_content("a", content)
    file_checks.refuse_hidden_markup("a", content)


def test_it_finds_a_launch_action_only_visible_once_the_object_stream_is_unpacked():
    pdf = hostile.pdf_with_launch_in_object_stream()
    assert b"/Launch" not in pdf
    assert "Launch actions" in refused(file_checks.check_pdf, "a.pdf", pdf)


def test_it_passes_a_plain_pdf():
    file_checks.check_pdf("a.pdf", hostile.pdf())


def test_it_refuses_a_legacy_office_file_with_a_vba_project():
    ole = file_checks.OLE_MAGIC + b"\x00" * 512 + "_VBA_PROJECT_CUR".encode("utf-16-le") + b"\x00" * 64
    assert "macros" in refused(file_checks.check_ole, "台账.xls", ole)
    file_checks.check_ole("台账.xls", file_checks.OLE_MAGIC + b"\x00" * 512)


def test_it_refuses_a_macro_part_declared_under_another_name():
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<Types><Override PartName="/word/extra.bin" '
            'ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/extra.bin", b"vba")
    assert "macros" in refused(file_checks.check_office_zip, "a.docx", out.getvalue())


def test_it_refuses_an_archive_of_too_many_parts(monkeypatch):
    monkeypatch.setattr(file_checks, "OFFICE_MAX_ENTRIES", 10)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(11):
            archive.writestr(f"xl/part{n}.xml", "<x/>")
    assert "11 parts" in refused(file_checks.check_office_zip, "a.xlsx", out.getvalue())


def test_it_refuses_a_damaged_archive():
    assert "damaged" in refused(file_checks.check_office_zip, "a.xlsx", b"PK\x03\x04" + b"\x00" * 100)


def test_it_reads_only_the_directory_of_an_uploaded_file_and_rewinds_it():
    class Counting(io.BytesIO):
        read_total = 0

        def read(self, size=-1):
            data = super().read(size)
            Counting.read_total += len(data)
            return data

    bomb = hostile.zip_bomb_xlsx(unpacked_mb=300)
    upload = Counting(bomb)
    upload.seek(123)
    assert "zip bomb" in refused(file_checks.check_office_zip, "a.xlsx", upload)
    assert upload.tell() == 0
    assert Counting.read_total < 64 * 1024  # the central directory, not the megabytes of compressed zeros
