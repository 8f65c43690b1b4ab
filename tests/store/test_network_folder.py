"""Projects in shared network folders (issue 23). SQLite's guidance: the write-ahead log needs shared
memory, which a network filesystem does not give, so there a project opens without WAL: a writer uses the
rollback journal and holds the whole file exclusively, and a second opener is refused with a message.

The detection is tested with the operating system's answers replaced (mount tables, Windows drive types);
the mode chosen is tested on a local file that ``MPP_PLANNER_NETWORK=1`` declares to be in a network
folder (this machine has no NFS or SMB support in its kernel to mount one on loopback)."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
from pathlib import Path, PureWindowsPath

import pytest

from mpp_planner.project import Project
from mpp_planner.store import ProjectFileError, network
from mpp_planner.store import file as store_file
from mpp_planner.store.lock import lock_path_for
from mpp_planner.store.network import NetworkFileInUseError, NetworkJournalError

SIDECARS = ("-wal", "-shm", "-journal")

MOUNTINFO = r"""22 27 0:21 / /proc rw,relatime - proc proc rw
27 1 259:2 / / rw,relatime shared:1 - ext4 /dev/nvme0n1p2 rw
40 27 0:45 / /mnt/kantor rw,relatime shared:20 - nfs4 fs.kantor:/data rw,vers=4.2
41 40 259:3 / /mnt/kantor/lokal rw,relatime shared:21 - ext4 /dev/sdb1 rw
42 27 0:46 / /mnt/Data\040Bersama rw,relatime shared:22 master:3 - cifs //server/Data\040Bersama rw,vers=3.1.1
43 27 0:47 / /home/ani/remote rw,nosuid,nodev shared:23 - fuse.sshfs ani@server:/srv rw,user_id=1000
44 27 0:48 / /mnt/kantor2 rw,relatime shared:24 - ext4 /dev/sdc1 rw
"""

DARWIN_MOUNT = """/dev/disk3s1s1 on / (apfs, sealed, local, read-only, journaled)
/dev/disk3s5 on /System/Volumes/Data (apfs, local, journaled, nobrowse, protect)
//ani@server.kantor/Data Bersama on /Volumes/Data Bersama (smbfs, nodev, nosuid, mounted by ani)
server:/export on /Volumes/export (nfs, asynchronous)
"""


@pytest.fixture
def on_linux(monkeypatch, tmp_path):
    """The mount table above stands for /proc/self/mountinfo; no override from the environment."""
    table = tmp_path / "mountinfo"
    table.write_text(MOUNTINFO, encoding="utf-8")
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(network, "MOUNTINFO", table)
    monkeypatch.delenv(network.NETWORK_ENV, raising=False)
    return table


@pytest.fixture
def on_windows(monkeypatch):
    """Windows, where Z: is a mapped network drive and C: a local disk; records the drive-type calls."""
    calls = []

    def drive_type(root):
        calls.append(root)
        return {"Z:\\": network.DRIVE_REMOTE, "C:\\": 3}.get(root.upper(), 0)

    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setattr(network, "_drive_type", drive_type)
    monkeypatch.delenv(network.NETWORK_ENV, raising=False)
    return calls


@pytest.fixture
def networked(monkeypatch):
    """Every path counts as a network folder."""
    monkeypatch.setenv(network.NETWORK_ENV, "1")


def companions(path: Path) -> list[str]:
    return [s for s in SIDECARS if Path(str(path) + s).exists()]


def pragma(project, name: str):
    raw = project.session.connection().connection.driver_connection
    return raw.execute(f"PRAGMA {name}").fetchone()[0]


def raw_read_fails(path: Path) -> str:
    """What a plain SQLite reader elsewhere meets (empty when it can read)."""
    con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=0.1)
    try:
        con.execute("SELECT count(*) FROM site").fetchone()
        return ""
    except sqlite3.OperationalError as exc:
        return str(exc)
    finally:
        con.close()


# --- detection ---------------------------------------------------------------------------------

def test_linux_mount_table_decides_by_the_longest_mount_point(on_linux):
    assert network.network_kind("/mnt/kantor/MPP/proyek.mpplan") == "nfs4"
    assert network.network_kind("/mnt/kantor") == "nfs4"
    assert network.network_kind("/mnt/kantor/lokal/proyek.mpplan") is None  # a local disk mounted inside
    assert network.network_kind("/mnt/kantor2/proyek.mpplan") is None  # a name that only starts alike
    assert network.network_kind("/mnt/Data Bersama/Proyek MPP/a b.mpplan") == "cifs"  # \040 is a space
    assert network.network_kind("/home/ani/remote/x.mpplan") == "fuse.sshfs"
    assert network.network_kind("/home/ani/x.mpplan") is None
    assert network.is_network_path("/mnt/kantor/x.mpplan") and not network.is_network_path("/tmp/x.mpplan")


def test_linux_falls_back_to_proc_mounts_and_reads_a_missing_table_as_local(on_linux, monkeypatch, tmp_path):
    mounts = tmp_path / "mounts"
    mounts.write_text("/dev/root / ext4 rw 0 0\nserver:/x /srv/bersama nfs rw,vers=3 0 0\n", encoding="utf-8")
    monkeypatch.setattr(network, "MOUNTINFO", tmp_path / "absent")
    monkeypatch.setattr(network, "MOUNTS", mounts)
    assert network.network_kind("/srv/bersama/a.mpplan") == "nfs"
    assert network.network_kind("/srv/a.mpplan") is None
    monkeypatch.setattr(network, "MOUNTS", tmp_path / "absent too")
    assert network.network_kind("/srv/bersama/a.mpplan") is None


def test_an_unreadable_mount_table_counts_as_local(on_linux, monkeypatch, tmp_path, caplog):
    monkeypatch.setattr(network, "MOUNTINFO", tmp_path)  # a folder: reading it fails
    assert network.network_kind("/mnt/kantor/a.mpplan") is None
    assert "cannot tell" in caplog.text


def test_symbolic_links_are_followed_to_the_mount(on_linux, monkeypatch, tmp_path):
    monkeypatch.setattr(network.os.path, "realpath", lambda p: "/mnt/kantor/MPP/a.mpplan")
    assert network.network_kind(tmp_path / "shortcut.mpplan") == "nfs4"


@pytest.mark.parametrize("path, kind", [
    (r"\\server\share\Proyek MPP\a b.mpplan", r"\\server\share"),
    ("//server/share/Proyek MPP/a b.mpplan", r"\\server\share"),
    (r"\\?\UNC\server\Data Bersama\MPP\x.mpplan", r"\\server\Data Bersama"),
    (r"\\127.0.0.1\c$\MPP\x.mpplan", r"\\127.0.0.1\c$"),  # SMB even to this computer
    (r"Z:\Proyek MPP\a b.mpplan", "Z:"),
    (r"z:\x.mpplan", "Z:"),
    (r"\\?\Z:\MPP\x.mpplan", "Z:"),
    (r"C:\Users\Ani\Dokumen\MPP Kota.mpplan", None),
    (r"\\?\C:\MPP\x.mpplan", None),
    (r"D:\x.mpplan", None),  # a drive Windows cannot tell about
])
def test_windows_unc_paths_and_mapped_drives(on_windows, path, kind):
    assert network.network_kind(path) == kind


def test_windows_asks_the_drive_only_for_drive_paths(on_windows):
    network.network_kind(r"\\server\share\a.mpplan")
    assert on_windows == []
    network.network_kind(r"Z:\MPP\a.mpplan")
    assert on_windows == ["Z:\\"]


def test_macos_reads_the_type_from_mount(monkeypatch):
    monkeypatch.setattr(sys, "platform", "darwin")
    monkeypatch.delenv(network.NETWORK_ENV, raising=False)
    monkeypatch.setattr(network, "_darwin_mounts", lambda: network.parse_darwin_mount(DARWIN_MOUNT))
    assert network.network_kind("/Volumes/Data Bersama/Proyek/a b.mpplan") == "smbfs"
    assert network.network_kind("/Volumes/export/a.mpplan") == "nfs"
    assert network.network_kind("/Users/ani/a.mpplan") is None  # under / : local (apfs)


def test_the_environment_overrides_the_detection(on_linux, monkeypatch):
    monkeypatch.setenv(network.NETWORK_ENV, "0")
    assert network.network_kind("/mnt/kantor/a.mpplan") is None
    monkeypatch.setenv(network.NETWORK_ENV, "1")
    assert network.network_kind("/home/ani/a.mpplan") == "MPP_PLANNER_NETWORK=1"
    monkeypatch.setenv(network.NETWORK_ENV, "maybe")  # anything else: detected
    assert network.network_kind("/mnt/kantor/a.mpplan") == "nfs4"


def test_unc_paths_become_uris_sqlite_accepts(tmp_path):
    """Python writes a UNC path as file://server/share/..., which SQLite refuses ("invalid uri authority"):
    with an empty authority, file:////server/share/..., Windows opens \\\\server\\share\\..."""
    uri = PureWindowsPath(r"\\server\Data Bersama\Proyek MPP\a b.mpplan").as_uri()
    assert uri == "file://server/Data%20Bersama/Proyek%20MPP/a%20b.mpplan"
    with pytest.raises(sqlite3.OperationalError, match="authority"):
        sqlite3.connect(uri + "?mode=ro", uri=True)
    assert network.fix_unc_uri(uri) == "file:////server/Data%20Bersama/Proyek%20MPP/a%20b.mpplan"
    drive = PureWindowsPath(r"Z:\Proyek MPP\a.mpplan").as_uri()
    assert network.fix_unc_uri(drive) == drive == "file:///Z:/Proyek%20MPP/a.mpplan"
    # an empty authority and a path starting with // still opens the file
    db = tmp_path / "a b.db"
    sqlite3.connect(db).close()
    local = network.fix_unc_uri("file:" + "//" + db.resolve().as_uri()[len("file:"):])
    assert local.startswith("file:////")
    sqlite3.connect(local + "?mode=ro", uri=True).close()


# --- the mode chosen -----------------------------------------------------------------------------

def test_a_network_project_opens_without_wal_and_holds_the_whole_file(networked, demo_file):
    project = Project.open(demo_file)
    try:
        assert project.file.network and project.file.network_kind == "MPP_PLANNER_NETWORK=1"
        assert pragma(project, "journal_mode") == "delete"
        assert pragma(project, "locking_mode") == "exclusive"
        assert pragma(project, "synchronous") == 2 and pragma(project, "foreign_keys") == 1
        assert not {"-wal", "-shm"} & set(companions(demo_file))
        assert "locked" in raw_read_fails(demo_file)  # from the moment it is open, before any edit
        with project.edit():
            project.site.name = "MPP Kota Jaringan"
        assert pragma(project, "journal_mode") == "delete"
        assert not {"-wal", "-shm"} & set(companions(demo_file))
        assert "locked" in raw_read_fails(demo_file)
        # every use of the engine goes through the one connection (a second one would wait forever)
        with project.file.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT name FROM site").scalar() == "MPP Kota Jaringan"
    finally:
        project.close()
    assert companions(demo_file) == [] and not demo_file.with_name(demo_file.name + ".lock").exists()
    assert raw_read_fails(demo_file) == ""


def test_a_local_project_still_uses_wal(monkeypatch, demo_file):
    monkeypatch.setenv(network.NETWORK_ENV, "0")
    project = Project.open(demo_file)
    try:
        assert not project.file.network
        assert (pragma(project, "journal_mode"), pragma(project, "locking_mode")) == ("wal", "normal")
        assert raw_read_fails(demo_file) == ""
    finally:
        project.close()


def test_edits_are_kept_and_close_leaves_one_clean_file(networked, demo_file):
    project = Project.open(demo_file)
    with project.edit():
        project.site.name = "MPP Kota Jaringan"
    project.close()
    assert sorted(p.name for p in demo_file.parent.iterdir()) == [demo_file.name]
    head = demo_file.read_bytes()[:100]
    assert head[18] == head[19] == 1  # rollback journal: readable by any SQLite, anywhere
    con = sqlite3.connect(demo_file)
    try:
        assert con.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        assert con.execute("SELECT name FROM site").fetchone()[0] == "MPP Kota Jaringan"
    finally:
        con.close()


def test_a_second_open_in_this_process_is_refused_cleanly(networked, demo_file):
    project = Project.open(demo_file)
    try:
        for readonly in (True, False):
            with pytest.raises(NetworkFileInUseError, match="already open in this MPP Planner"):
                Project.open(demo_file, readonly=readonly)
        with project.edit():  # the first one is unharmed
            project.site.name = "Masih bisa"
    finally:
        project.close()
    again = Project.open(demo_file, readonly=True)
    try:
        assert again.site.name == "Masih bisa"
    finally:
        again.close()


OTHER_COMPUTER = """
import sys
from mpp_planner.project import Project
from mpp_planner.store import ProjectFileError
for readonly in (True, False):
    try:
        Project.open(sys.argv[1], readonly=readonly).close()
        print("opened")
    except ProjectFileError as exc:
        print(type(exc).__name__, exc)
"""


def test_another_computer_is_refused_with_the_name_of_the_editor(networked, demo_file):
    """Another process stands for another computer: same lock file, same SQLite locks."""
    project = Project.open(demo_file)
    try:
        with project.edit():
            project.site.name = "Sedang disunting"
        out = subprocess.run([sys.executable, "-c", OTHER_COMPUTER, str(demo_file)], capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        lines = out.stdout.splitlines()
        assert len(lines) == 2
        for line in lines:  # read-only and for editing alike
            assert line.startswith("NetworkFileInUseError ") and "is being edited by" in line
            assert "not even read-only" in line and "Traceback" not in line
        assert out.stderr == ""
    finally:
        project.close()
    out = subprocess.run([sys.executable, "-c", OTHER_COMPUTER, str(demo_file)], capture_output=True, text=True,
                         timeout=120)
    assert out.stdout.splitlines() == ["opened", "opened"]  # once closed here, it opens there


def test_the_refusal_speaks_the_users_language(networked, demo_file):
    from mpp_planner import i18n

    project = Project.open(demo_file)
    i18n.set_language("id")
    try:
        with pytest.raises(NetworkFileInUseError) as caught:
            Project.open(demo_file, readonly=True)
        assert "sudah dibuka di MPP Planner ini" in str(caught.value) and "folder jaringan" in str(caught.value)
    finally:
        i18n.set_language("en")
        project.close()


def test_a_file_held_by_another_program_is_refused_without_waiting_long(networked, demo_file, monkeypatch):
    """No lock file of ours, but SQLite's exclusive lock (another program, an older version): the opener
    probes briefly and says so instead of calling the file damaged."""
    holder = sqlite3.connect(demo_file)
    holder.execute("PRAGMA locking_mode=EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        for readonly in (True, False):
            with pytest.raises(NetworkFileInUseError, match="held by another program") as caught:
                Project.open(demo_file, readonly=readonly)
            assert "damaged" not in str(caught.value)
    finally:
        holder.rollback()
        holder.close()
    Project.open(demo_file, readonly=True).close()


def test_a_local_opener_meets_a_network_writer_with_a_clear_message(monkeypatch, demo_file):
    """The file server's own user opens the file locally while a client edits it over the network."""
    monkeypatch.setenv(network.NETWORK_ENV, "1")
    project = Project.open(demo_file)
    try:
        with project.edit():
            project.site.name = "Disunting lewat jaringan"
        monkeypatch.setenv(network.NETWORK_ENV, "0")
        network.unregister_writer(demo_file, project.file)  # as if it were held by another computer
        with pytest.raises(ProjectFileError) as caught:
            Project.open(demo_file, readonly=True)
        assert isinstance(caught.value, NetworkFileInUseError) and "damaged" not in str(caught.value)
    finally:
        monkeypatch.setenv(network.NETWORK_ENV, "1")
        project.close()


def test_the_file_servers_own_user_is_refused_where_locks_do_not_reach(monkeypatch, demo_file):
    """Seen on an sshfs mount: SQLite's locks taken by a client never reach the server, so the server's own
    user could read while the client writes. The client's live lock and the emptied journal a writer in
    exclusive mode keeps beside the file say it is held."""
    monkeypatch.setenv(network.NETWORK_ENV, "0")
    lock_path_for(demo_file).write_text(json.dumps({
        "host": "LAPTOP-KASUBAG", "pid": 321, "user": "sari", "app_version": "0.1.0",
        "time": "2024-05-02T08:15:00+07:00", "token": "t"}), encoding="utf-8")
    journal = Path(str(demo_file) + "-journal")
    journal.write_bytes(bytes(512))
    for readonly in (True, False):
        with pytest.raises(NetworkFileInUseError, match="being edited by sari on LAPTOP-KASUBAG"):
            Project.open(demo_file, readonly=readonly)
    journal.unlink()  # a lock alone (another computer editing in WAL mode): read-only as before
    reader = Project.open(demo_file, readonly=True)
    try:
        assert reader.site.name
    finally:
        reader.close()


def test_a_network_reader_leaves_no_companions_and_waits_briefly(networked, demo_file):
    reader = Project.open(demo_file, readonly=True)
    try:
        assert reader.file.network and reader.site.name
        assert pragma(reader, "journal_mode") == "delete"
        assert pragma(reader, "busy_timeout") == store_file.NETWORK_READ_TIMEOUT_MS
        assert companions(demo_file) == []
    finally:
        reader.close()
    assert companions(demo_file) == []


def test_jobs_read_a_copy_while_the_network_writer_holds_the_file(networked, demo_file, tmp_path, monkeypatch):
    """Exports and Save As run in a worker on a reader of their own; here the writer's lock keeps out even
    this process's other connections, so the reader gets a copy taken through the writer's connection."""
    made = []
    real_mkdtemp = tempfile.mkdtemp
    monkeypatch.setattr(tempfile, "mkdtemp", lambda **kw: made.append(real_mkdtemp(**kw)) or made[-1])
    project = Project.open(demo_file)
    try:
        with project.edit():
            project.site.name = "Dibaca oleh pekerjaan"
        seen: dict = {}

        def job():
            try:
                with project.reader() as reader:
                    seen["name"] = reader.site.name
                    seen["copy"] = reader.save_as(tmp_path / "salinan" / "salinan.mpplan")
                    seen["readonly"] = reader.readonly
            except BaseException as exc:  # noqa: BLE001 - reported below
                seen["error"] = exc

        worker = threading.Thread(target=job)
        worker.start()
        worker.join(120)
        assert "error" not in seen, seen.get("error")
        assert seen["name"] == "Dibaca oleh pekerjaan" and seen["readonly"]
        assert made and not Path(made[0]).exists()  # the copy went with the reader
        with project.edit():  # the writer goes on
            project.site.name = "Sesudah pekerjaan"
    finally:
        project.close()
    copy = Project.open(seen["copy"], readonly=True)
    try:
        assert copy.site.name == "Dibaca oleh pekerjaan"
    finally:
        copy.close()


def test_copies_left_by_a_killed_job_are_swept_on_the_next_one(networked, demo_file, tmp_path, monkeypatch):
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "temp"))
    (tmp_path / "temp").mkdir()
    old = tmp_path / "temp" / (store_file.SNAPSHOT_PREFIX + "lama")
    recent = tmp_path / "temp" / (store_file.SNAPSHOT_PREFIX + "baru")
    for folder in (old, recent):
        folder.mkdir()
        (folder / "demo.mpplan").write_bytes(b"x")
    os.utime(old, (1_000_000, 1_000_000))
    project = Project.open(demo_file)
    try:
        with project.reader() as reader:
            assert reader.site.name
    finally:
        project.close()
    assert not old.exists() and recent.exists()  # (another instance may still be reading that one)
    assert sorted(p.name for p in (tmp_path / "temp").iterdir()) == [recent.name]


def test_a_wal_file_left_by_a_crash(networked, demo_file, tmp_path, monkeypatch):
    """A file still in WAL mode (a crash of a local writer left its -wal): read-only over the network is refused,
    as that needs shared memory; opening it for editing takes the log in without shared memory and leaves a
    rollback-journal file."""
    monkeypatch.setenv(network.NETWORK_ENV, "0")
    crashed = tmp_path / "crash" / "proyek.mpplan"
    crashed.parent.mkdir()
    local = Project.open(demo_file)
    try:
        with local.edit():
            local.site.name = "Hanya di log"
        for suffix in ("", "-wal"):
            shutil.copy2(str(demo_file) + suffix, str(crashed) + suffix)
    finally:
        local.close()
    monkeypatch.setenv(network.NETWORK_ENV, "1")
    with pytest.raises(NetworkJournalError, match="write-ahead log"):
        Project.open(crashed, readonly=True)
    assert companions(crashed) == ["-wal"]
    project = Project.open(crashed)
    try:
        assert pragma(project, "journal_mode") == "delete"
        assert project.site.name == "Hanya di log"
        assert not {"-wal", "-shm"} & set(companions(crashed))
    finally:
        project.close()
    assert companions(crashed) == []
    reader = Project.open(crashed, readonly=True)
    try:
        assert reader.site.name == "Hanya di log"
    finally:
        reader.close()


@pytest.mark.skipif(not os.environ.get("MPP_PLANNER_TEST_NETWORK_DIR"),
                    reason="set MPP_PLANNER_TEST_NETWORK_DIR to a folder on a real network mount (SMB, NFS, sshfs)")
def test_a_real_network_mount(demo_master, monkeypatch):
    """Against a real share, detected without the override (run by hand; see the skip reason)."""
    monkeypatch.delenv(network.NETWORK_ENV, raising=False)
    folder = Path(os.environ["MPP_PLANNER_TEST_NETWORK_DIR"]) / "uji jaringan"
    folder.mkdir(exist_ok=True)
    path = folder / "demo jaringan.mpplan"
    shutil.copy(demo_master, path)
    try:
        assert network.network_kind(path) is not None
        project = Project.open(path)
        try:
            assert (pragma(project, "journal_mode"), pragma(project, "locking_mode")) == ("delete", "exclusive")
            with project.edit():
                project.site.name = "Lewat jaringan"
            out = subprocess.run([sys.executable, "-c", OTHER_COMPUTER, str(path)], capture_output=True, text=True,
                                 timeout=120)
            assert all(line.startswith("NetworkFileInUseError ") for line in out.stdout.splitlines())
        finally:
            project.close()
        assert sorted(p.name for p in folder.iterdir()) == [path.name]
        reader = Project.open(path, readonly=True)
        try:
            assert reader.site.name == "Lewat jaringan"
        finally:
            reader.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def test_new_and_older_projects_in_a_network_folder(networked, tmp_path):
    created = Project.create(tmp_path / "baru sekali.mpplan", site_name="MPP Baru")
    try:
        assert created.file.network and pragma(created, "locking_mode") == "exclusive"
        assert not {"-wal", "-shm"} & set(companions(created.path))
    finally:
        created.close()
    assert companions(tmp_path / "baru sekali.mpplan") == []
    old = tmp_path / "lama.mpplan"
    shutil.copy2(Path(__file__).parents[1] / "fixtures" / "schema-0001.mpplan", old)
    upgraded = Project.open(old)
    try:
        assert pragma(upgraded, "journal_mode") == "delete"
        assert not {"-wal", "-shm"} & set(companions(old))
    finally:
        upgraded.close()
    assert companions(old) == []
