"""Inbox files are claimed once, become one-off sources, then move to done/ or failed/."""

from __future__ import annotations

from pipeline.inbox import batch_sources, claim_batch, finish_batch, pending_files


def test_claimed_files_leave_the_inbox_and_become_sources(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.html").write_text("<html></html>")
    (inbox / "urls.txt").write_text("http://127.0.0.1:1/x\n")
    (inbox / "upload.part").write_text("half")
    batch = claim_batch(inbox)
    assert batch is not None and sorted(p.name for p in batch.iterdir()) == ["a.html", "urls.txt"]
    assert [p.name for p in pending_files(inbox)] == []  # .part is not pending
    kinds = sorted(s.kind for s in batch_sources(batch))
    assert kinds == ["html_dir", "urls"]
    assert claim_batch(inbox) is None  # each file processed once


def test_unsupported_files_fail_with_a_reason(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "report.pdf").write_bytes(b"%PDF-1.7")
    assert claim_batch(inbox) is None
    assert (inbox / "failed" / "report.pdf").exists()
    assert "unsupported" in (inbox / "failed" / "report.pdf.reason.txt").read_text()


def test_finished_batches_move_to_done_or_failed(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "a.html").write_text("x")
    ok_batch = claim_batch(inbox)
    finish_batch(inbox, ok_batch, ok=True)
    assert (inbox / "done" / "a.html").exists() and not ok_batch.exists()
    (inbox / "b.html").write_text("y")
    bad_batch = claim_batch(inbox)
    finish_batch(inbox, bad_batch, ok=False, reason="run 123 failed")
    assert (inbox / "failed" / "b.html.reason.txt").read_text().strip() == "run 123 failed"
