# SPDX-License-Identifier: BSD-3-Clause
"""A real Linux client downloads a multi-MiB body from tcpterm and
uploads one to its discard listener with random loss in both directions
(see loss_topo.py): the body arrives intact (sha256), the upload is
counted in full, both within a generous bound. With recovery by the
retransmission timer only (before SACK and fast retransmit), 1% loss
costs a 4 MiB download about 3-4 s and an upload about 10 s here."""

from harness import log
from loss_topo import LossLab, SERVER_IP, check, expected_body_sha256

BODY = 4 << 20
PERMILLE = 10     # 1% each way
BOUND = 60.0      # seconds per transfer


def test_loss_download_upload():
    with LossLab(BODY) as lab:
        before = lab.t.stats()
        lab.set_loss(PERMILLE, PERMILLE)
        secs, digest = lab.download(SERVER_IP, limit=BOUND)
        log("download %d bytes at %.1f%% loss: %s s" % (
            BODY, PERMILLE / 10.0, secs))
        check(secs is not None, "download failed or was cut short")
        check(digest == expected_body_sha256(BODY),
              "download corrupted: sha256 %s" % digest)
        mid = lab.t.stats()
        log("download recovery: " + " ".join(
            "%s +%d" % (k, mid.get(k, 0) - before.get(k, 0))
            for k in ("retransmit", "rto", "fast_recovery", "tlp_probe",
                      "rack_lost", "rack_reorder_timer")))
        secs = lab.upload(SERVER_IP, BODY, limit=BOUND)
        after = lab.t.stats()
        log("upload %d bytes at %.1f%% loss: %s s" % (
            BODY, PERMILLE / 10.0, secs))
        check(secs is not None, "upload failed or took over %.0f s" % BOUND)
        got = after["bytes_in"] - mid["bytes_in"]
        check(got == BODY, "discard received %d bytes in order, want %d"
              % (got, BODY))
        log("tcpterm: retransmit +%d, ooo_queued +%d" % (
            after["retransmit"] - before["retransmit"],
            after.get("ooo_queued", 0) - before.get("ooo_queued", 0)))
