"""The exported log served at /log/ when CONFIANZA_LOG_EXPORT_DIR is set: every file as written,
full tiles cacheable for good, the changing ones briefly, nothing outside the directory."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient
from log_verify_support import ORIGIN, build_log

from confianza.app.bootstrap import Container
from confianza.app.web import create_app
from confianza.kit.checkpoint import open_checkpoint
from confianza.kit.signed_note import Signer
from confianza.transparency.service import export as log_export
from conftest import PUBLIC


def client(container: Container) -> TestClient:
    return TestClient(create_app(container), raise_server_exceptions=True)


def test_the_exported_files_are_served_with_their_cache_rules(container: Container,
                                                             tmp_path: Path) -> None:
    signer = Signer.generate(ORIGIN)
    build_log(container, signer, sizes=(300,))
    directory = tmp_path / "tiles"
    log_export.export_tiles(container.uow(), PUBLIC, directory)
    container.settings = container.settings.model_copy(update={"log_export_dir": directory})
    http = client(container)

    checkpoint = http.get("/log/checkpoint")
    assert checkpoint.status_code == 200
    assert checkpoint.content == (directory / "checkpoint").read_bytes()
    assert checkpoint.headers["content-type"].startswith("text/plain")
    assert checkpoint.headers["cache-control"] == "public, max-age=10"
    assert open_checkpoint(checkpoint.content, [signer.verifier])[0].size == 300

    full = http.get("/log/tile/0/000")
    assert full.status_code == 200 and len(full.content) == 256 * 32
    assert "immutable" in full.headers["cache-control"]
    assert full.headers["content-type"] == "application/octet-stream"
    partial = http.get("/log/tile/0/001.p/44")
    assert partial.content == (directory / "tile/0/001.p/44").read_bytes()
    assert partial.headers["cache-control"] == "public, max-age=10"
    bundle = http.get("/log/tile/entries/000")
    assert bundle.status_code == 200 and "immutable" in bundle.headers["cache-control"]

    (tmp_path / "secret.txt").write_text("not for you")
    assert http.get("/log/../secret.txt").status_code == 404
    assert http.get("/log/%2e%2e/secret.txt").status_code == 404
    assert http.get("/log/tile/0/999").status_code == 404


def test_without_an_export_directory_nothing_is_served_at_log(container: Container) -> None:
    assert client(container).get("/log/checkpoint").status_code == 404
