"""A SQLite backup is taken online: in WAL mode the application keeps writing while the copy is made, and the
copy is consistent (committed rows only, intact, one self-contained file)."""

import sqlite3
import threading

from tuijin.core.backup import sqlite_copy


def live_database(path):
    db = sqlite3.connect(path, timeout=0.5, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE report (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    db.executemany("INSERT INTO report (text) VALUES (?)", [(f"进展{i}",) for i in range(100)])
    return db


def rows_in(path) -> int:
    copy = sqlite3.connect(path)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return copy.execute("SELECT COUNT(*) FROM report").fetchone()[0]
    finally:
        copy.close()


def test_it_copies_while_a_write_is_under_way_and_leaves_it_out(tmp_path):
    app = live_database(tmp_path / "live.sqlite3")
    app.execute("BEGIN IMMEDIATE")
    app.execute("INSERT INTO report (text) VALUES ('not yet committed')")
    reader = sqlite3.connect(tmp_path / "live.sqlite3", timeout=0.5)

    sqlite_copy(reader, tmp_path / "copy.sqlite3")
    app.execute("COMMIT")  # the writer was never blocked

    assert rows_in(tmp_path / "copy.sqlite3") == 100
    assert not (tmp_path / "copy.sqlite3-wal").exists()
    copy = sqlite3.connect(tmp_path / "copy.sqlite3")
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    copy.close()


def test_it_lets_the_application_keep_writing_during_backups(tmp_path):
    app = live_database(tmp_path / "live.sqlite3")
    stop, errors, written = threading.Event(), [], []

    def keep_writing():
        while not stop.is_set():
            try:
                app.execute("INSERT INTO report (text) VALUES ('新进展')")
                written.append(1)
            except sqlite3.Error as exc:  # "database is locked" would mean the backup blocked the app
                errors.append(exc)

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        reader = sqlite3.connect(tmp_path / "live.sqlite3", timeout=0.5)
        counts = []
        for n in range(5):
            sqlite_copy(reader, tmp_path / f"copy{n}.sqlite3")
            counts.append(rows_in(tmp_path / f"copy{n}.sqlite3"))
    finally:
        stop.set()
        writer.join()

    assert errors == []
    assert counts == sorted(counts) and counts[0] >= 100
    assert 100 + len(written) >= counts[-1]
