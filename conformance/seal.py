"""Seal a run into one signed archive, and verify such an archive file by file.

``conformance seal RUN`` writes ``<run>.seal.zip`` holding the whole run folder under ``run/``, a
``SEAL.json`` (SHA-256 and size of every file, harness version, profile and target digests, and
the run's state: complete, incomplete or with harness errors: an unfinished run can be sealed only
as such) and ``SEAL.json.p7s``, a detached CMS signature over SEAL.json made with the evaluator's
key. ``conformance verify`` checks the signature against the trust roots it is given and every
hash, and names each file that was changed, removed or added.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from conformance import __version__
from conformance.errors import ConfigError
from conformance.results import read_json

SEAL_NAME = "SEAL.json"
SIG_NAME = "SEAL.json.p7s"
FORMAT = "conformance-seal/1"
MAX_BUNDLE_BYTES = 8 * 1024**3  # uncompressed, all entries together
MAX_RATIO = 200  # a larger compression ratio is treated as a zip bomb
CHUNK = 1 << 20


def _sha256_stream(fh: Any) -> tuple[str, int]:
    h, n = hashlib.sha256(), 0
    while chunk := fh.read(CHUNK):
        h.update(chunk)
        n += len(chunk)
    return h.hexdigest(), n


def _state(results: dict[str, Any]) -> str:
    if results["verdict"]["counts"].get("error"):
        return "harness_error"
    return "complete" if results["run"].get("complete") else "incomplete"


def _signer(pkcs12: Path, password_env: str) -> Any:
    from pyhanko.sign import signers

    password = os.environ.get(password_env)
    if not password:
        raise ConfigError.one(
            str(pkcs12), None, "password_env", f"biến môi trường {password_env} chưa được đặt"
        )
    try:
        signer = signers.SimpleSigner.load_pkcs12(str(pkcs12), passphrase=password.encode("utf-8"))
    except (OSError, ValueError):
        signer = None
    if signer is None:
        raise ConfigError.one(str(pkcs12), None, "pkcs12", "không mở được tệp PKCS#12 (sai mật khẩu?)")
    return signer


def seal(
    run_dir: Path, out: Path | None = None, *, pkcs12: Path | None = None, password_env: str | None = None
) -> Path:
    """Write the sealed archive of a run folder; returns its path."""
    results = read_json(run_dir / "results.json")
    run = results["run"]
    signing = (run.get("run_config") or {}).get("signing") or {}
    p12 = pkcs12 or (Path(signing["pkcs12"]) if signing.get("pkcs12") else None)
    env = password_env or signing.get("password_env")
    if p12 is None or env is None:
        raise ConfigError.one(
            str(run_dir / "run.json"),
            None,
            "run_config.signing",
            "không có khóa để niêm phong: dùng --pkcs12 và --password-env, hoặc khối signing: "
            "trong cấu hình lần chạy",
        )
    signer = _signer(p12, env)
    files: dict[str, dict[str, Any]] = {}
    for p in sorted(run_dir.rglob("*")):
        if p.is_file():
            with open(p, "rb") as fh:
                digest, size = _sha256_stream(fh)
            files["run/" + p.relative_to(run_dir).as_posix()] = {"sha256": digest, "size": size}
    manifest = {
        "format": FORMAT,
        "run_id": run["id"],
        "state": _state(results),
        "verdict": results["verdict"]["overall"],
        "harness_version": __version__,
        "sealed_at": dt.datetime.now(dt.timezone(dt.timedelta(hours=7))).isoformat(timespec="seconds"),
        "profile": {k: run["profile"].get(k) for k in ("id", "version", "regime", "sha256")},
        "target": {k: run["target"].get(k) for k in ("name", "product", "version", "sha256")},
        "files": files,
    }
    blob = json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    cms = asyncio.run(signer.async_sign_general_data(blob, "sha256", detached=True))
    out = out or run_dir.with_name(run_dir.name + ".seal.zip")
    tmp = out.with_name(out.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr(SEAL_NAME, blob)
        z.writestr(SIG_NAME, cms.dump())
        for name in files:
            z.write(run_dir / name.removeprefix("run/"), name)
    tmp.replace(out)
    return out


@dataclass
class Verification:
    ok: bool = True
    signer: str | None = None
    state: str | None = None
    problems: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.ok = False
        self.problems.append(message)


def _safe_names(z: zipfile.ZipFile, v: Verification) -> list[zipfile.ZipInfo]:
    infos, total = [], 0
    for info in z.infolist():
        p = PurePosixPath(info.filename)
        if p.is_absolute() or ".." in p.parts or "\\" in info.filename:
            v.fail(f"{info.filename}: đường dẫn không an toàn trong gói (path traversal)")
            continue
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO:
            v.fail(f"{info.filename}: tỷ lệ nén bất thường (zip bomb?)")
            continue
        infos.append(info)
    if total > MAX_BUNDLE_BYTES:
        v.fail(f"gói quá lớn khi giải nén ({total} byte)")
        return []
    return infos


def verify(
    bundle: Path,
    trust_roots: list[Path],
    crls: list[Path] | None = None,
    other_certs: list[Path] | None = None,
) -> Verification:
    """Check the seal's signature and every file's hash; name each altered, removed or added file."""
    from pyhanko.sign.validation.generic_cms import async_validate_detached_cms
    from pyhanko_certvalidator import ValidationContext

    from conformance.standards.pdfsig import load_certificates, load_crls

    v = Verification()
    try:
        z = zipfile.ZipFile(bundle)
    except (OSError, zipfile.BadZipFile) as exc:
        v.fail(f"{bundle}: không phải gói niêm phong đọc được ({type(exc).__name__})")
        return v
    with z:
        infos = {i.filename: i for i in _safe_names(z, v)}
        if SEAL_NAME not in infos or SIG_NAME not in infos:
            v.fail(f"thiếu {SEAL_NAME} hoặc {SIG_NAME}: không phải gói niêm phong")
            return v
        blob = z.read(SEAL_NAME)
        from asn1crypto import cms

        try:
            signed = cms.ContentInfo.load(z.read(SIG_NAME))["content"]
            ctx = ValidationContext(
                trust_roots=load_certificates(trust_roots),
                crls=load_crls(crls or []),
                other_certs=load_certificates(other_certs or []),
                allow_fetching=False,
                revocation_mode="soft-fail",
            )
            status = asyncio.run(async_validate_detached_cms(blob, signed, signer_validation_context=ctx))
            v.signer = status.signing_cert.subject.human_friendly
            if not status.intact or not status.valid:
                v.fail(f"{SEAL_NAME}: chữ ký số không khớp nội dung (tệp niêm phong đã bị sửa)")
            elif not status.trusted:
                v.fail(f"{SIG_NAME}: chứng thư người ký không dẫn về gốc tin cậy đã cho")
        except Exception as exc:  # a malformed signature is a finding about the bundle, not a crash
            v.fail(f"{SIG_NAME}: chữ ký không đọc được ({type(exc).__name__})")
        try:
            manifest = json.loads(blob)
            files: dict[str, dict[str, Any]] = manifest["files"]
            v.state = manifest.get("state")
        except (ValueError, KeyError, TypeError):
            v.fail(f"{SEAL_NAME}: không đọc được danh sách tệp")
            return v
        for name in sorted(files):
            if name not in infos:
                v.fail(f"{name}: tệp bị xóa khỏi gói")
                continue
            with z.open(infos[name]) as fh:
                digest, size = _sha256_stream(fh)
            if digest != files[name]["sha256"] or size != files[name]["size"]:
                v.fail(f"{name}: nội dung đã bị thay đổi (SHA-256 không khớp)")
        for name in sorted(set(infos) - set(files) - {SEAL_NAME, SIG_NAME}):
            v.fail(f"{name}: tệp được thêm vào sau khi niêm phong")
    return v
