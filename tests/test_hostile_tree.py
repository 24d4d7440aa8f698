"""A raw folder with hostile entries: each is a reject naming it, the build goes on, and nothing
outside the raw folder is ever read."""

from __future__ import annotations

import json
import os

import pytest

from medqa_ds.pipeline import build
from medqa_ds.pipeline.read import MAX_DEPTH, discover, read_page, shown

from pages import doctorqna_page


def _raw(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "good.txt").write_text(doctorqna_page(1), encoding="utf-8")
    return raw


def _reasons(result) -> dict[str, str]:
    return {r.file: r.reason for r in result.rejects}


def _balanced(result, entries: int) -> None:
    acc = result.manifest["accounting"]
    assert acc["balanced"] and acc["files_seen"] == entries
    assert acc["records"] + acc["rejects"] == entries


def test_symlinks_fifos_and_outside_files_are_rejects_and_outside_text_is_never_read(tmp_path):
    raw = _raw(tmp_path)
    outside = tmp_path / "secret.txt"
    outside.write_text(doctorqna_page(2), encoding="utf-8")  # a real page: followed, it would be published
    (raw / "to_outside.txt").symlink_to(outside)
    (raw / "dotdot.txt").symlink_to("../secret.txt")
    (raw / "broken.txt").symlink_to(raw / "missing.txt")
    (raw / "loop_a").symlink_to(raw / "loop_b")
    (raw / "loop_b").symlink_to(raw / "loop_a")
    (raw / "sub").mkdir()
    (raw / "sub" / "p.txt").write_text(doctorqna_page(3), encoding="utf-8")
    (raw / "folder_link").symlink_to(raw / "sub", target_is_directory=True)
    (raw / "inside_link.txt").symlink_to(raw / "sub" / "p.txt")  # inside: read (a duplicate of sub/p.txt)
    os.mkfifo(raw / "pipe.txt")  # opened blocking, it would stall the build forever
    result = build(raw, tmp_path / "out")
    reasons = _reasons(result)
    assert "outside the raw folder" in reasons["to_outside.txt"]
    assert "outside the raw folder" in reasons["dotdot.txt"]
    assert "broken symlink" in reasons["broken.txt"]
    assert "symlink loop" in reasons["loop_a"] and "symlink loop" in reasons["loop_b"]
    assert "symlink to a folder" in reasons["folder_link"]
    assert "FIFO" in reasons["pipe.txt"]
    assert "duplicate: same page as" in (reasons.get("inside_link.txt") or reasons["sub/p.txt"])
    _balanced(result, 10)
    assert result.manifest["accounting"]["records"] == 2  # good.txt and sub/p.txt; never secret.txt


def test_a_file_swapped_for_a_fifo_after_the_walk_is_a_reject_not_a_stall(tmp_path):
    raw = _raw(tmp_path)
    os.mkfifo(raw / "late.txt")
    assert "FIFO" in read_page("late.txt", raw).reason


def test_an_unlistable_folder_is_a_reject_naming_it_and_the_build_goes_on(tmp_path):
    """A folder whose path the OS refuses (longer than PATH_MAX) cannot be listed, even by root."""
    raw = _raw(tmp_path)
    deep, rel = raw, []
    while len(os.fspath(deep)) < 4200:
        name = "d" * 200
        fd = os.open(deep, os.O_RDONLY)
        try:
            os.mkdir(name, dir_fd=fd)
        finally:
            os.close(fd)
        deep, rel = deep / name, [*rel, name]
    result = build(raw, tmp_path / "out")
    [reject] = result.rejects
    assert "cannot list the folder" in reject.reason and reject.file.startswith("d" * 200 + "/")
    _balanced(result, 2)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads folders without read permission")
def test_a_folder_without_read_permission_is_a_reject(tmp_path):
    raw = _raw(tmp_path)
    (raw / "locked").mkdir()
    (raw / "locked" / "p.txt").write_text(doctorqna_page(2), encoding="utf-8")
    (raw / "locked").chmod(0)
    try:
        result = build(raw, tmp_path / "out")
    finally:
        (raw / "locked").chmod(0o755)
    assert "cannot list the folder" in _reasons(result)["locked"]
    _balanced(result, 2)


def test_a_file_name_that_is_not_utf8_is_a_reject_shown_escaped(tmp_path):
    raw = _raw(tmp_path)
    (raw / os.fsdecode(b"caf\xe9.txt")).write_text(doctorqna_page(2), encoding="utf-8")
    (raw / os.fsdecode(b"dir\xff")).mkdir()
    result = build(raw, tmp_path / "out")
    reasons = _reasons(result)
    assert "file name is not valid UTF-8" in reasons["caf\\xe9.txt"]
    assert "folder name is not valid UTF-8" in reasons["dir\\xff"]
    _balanced(result, 3)
    json.loads((tmp_path / "out" / "rejects.jsonl").read_text(encoding="utf-8").splitlines()[0])


def test_nesting_deeper_than_the_limit_is_a_reject_and_the_walk_does_not_recurse(tmp_path):
    raw = _raw(tmp_path)
    fd = os.open(raw, os.O_RDONLY)
    for _ in range(MAX_DEPTH + 5):  # 1-letter names: the path stays under PATH_MAX
        os.mkdir("n", dir_fd=fd)
        fd, old = os.open("n", os.O_RDONLY, dir_fd=fd), fd
        os.close(old)
    os.close(fd)
    try:
        found = list(discover(raw))
    finally:
        _remove_chain(raw / "n")  # shutil.rmtree (and pytest's clean-up) recurse, and would fail on it
    [reject] = [e for e in found if not isinstance(e, str)]
    assert f"nested more than {MAX_DEPTH} deep" in reject.reason
    assert reject.file.count("/") == MAX_DEPTH


def _remove_chain(top) -> None:
    """Remove a chain of single folders named "n", deepest first, without recursion."""
    fds = [os.open(top, os.O_RDONLY)]
    while "n" in os.listdir(fds[-1]):
        fds.append(os.open("n", os.O_RDONLY, dir_fd=fds[-1]))
    while len(fds) > 1:
        os.close(fds.pop())
        os.rmdir("n", dir_fd=fds[-1])
    os.close(fds[0])
    os.rmdir(top)


def test_control_characters_in_names_are_shown_escaped():
    assert shown("a\x1b[2Jb\nrejected x.txt") == "a\\x1b[2Jb\\nrejected x.txt"
    assert shown(os.fsdecode(b"\xff.txt")) == "\\xff.txt"
    assert shown("Größe café.txt") == "Größe café.txt"
