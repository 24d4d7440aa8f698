"""Issue 15's lesser points: names printed escaped, one-line errors, lone surrogates, scrubbed logs."""

from __future__ import annotations

import errno
import logging
import warnings

import pytest

import medqa_ds
from medqa_ds import cli
from medqa_ds.release.publish import scrubbed_logs

from conftest import run_cli
from pages import doctorqna_page


def test_a_file_name_with_escape_codes_and_a_newline_is_printed_escaped(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "a\x1b[2Jb\nrejected forged.txt").write_text("not a page at all", encoding="utf-8")
    (raw / "page.txt").write_text(doctorqna_page(0), encoding="utf-8")  # a build with no record fails
    done = run_cli("build", raw, "--out", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr + done.stdout
    rejected = [line for line in done.stderr.splitlines() if line.startswith("rejected")]
    assert len(rejected) == 1 and rejected[0].startswith("rejected a\\x1b[2Jb\\nrejected forged.txt: ")


def test_a_lone_surrogate_is_a_parse_error():
    with pytest.raises(medqa_ds.ParseError, match="lone surrogate U\\+D800"):
        medqa_ds.parse("a\ud800")


@pytest.mark.parametrize(
    ("error", "said"),
    [
        (
            OSError(errno.ENOSPC, "No space left on device", "/data/.out.tmp-1/data/x.parquet"),
            "medqa-ds build: error: no space left on the device (/data/.out.tmp-1/data/x.parquet): free some space and "
            "run it again; the previous output is as it was (nothing half-written was left)",
        ),
        (
            FileNotFoundError(errno.ENOENT, "No such file or directory", "raw/gone.txt"),
            "medqa-ds build: error: No such file or directory (raw/gone.txt): a file changed while the command ran "
            "(another process writing the same folders?); the previous output is as it was (nothing half-written was "
            "left)",
        ),
        (
            KeyboardInterrupt(),
            "medqa-ds build: interrupted: the previous output is as it was (nothing half-written was left)",
        ),
    ],
)
def test_disk_full_races_and_ctrl_c_end_in_one_line(tmp_path, monkeypatch, capsys, error, said):
    (tmp_path / "raw").mkdir()

    def fails(*args, **kwargs):
        raise error

    import medqa_ds.pipeline

    monkeypatch.setattr(medqa_ds.pipeline, "build", fails)  # the CLI imports it where a build runs
    code = cli.main(["build", str(tmp_path / "raw"), "--out", str(tmp_path / "out")])
    assert code == (130 if isinstance(error, KeyboardInterrupt) else 1)
    assert capsys.readouterr().err.splitlines() == [said]


def test_third_party_log_records_and_warnings_are_scrubbed_of_the_token(caplog):
    secret = "hf_scrub_me_0123"
    with caplog.at_level(logging.WARNING), scrubbed_logs(secret):
        logging.getLogger("huggingface_hub.utils._http").warning(
            "Retrying; headers %s", {"authorization": f"Bearer {secret}"}
        )
        warnings.warn(f"token {secret} is deprecated", UserWarning, stacklevel=1)
    assert secret not in caplog.text
    assert caplog.text.count("[token]") == 2
