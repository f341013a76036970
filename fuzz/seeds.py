#!/usr/bin/env python3
"""Writes the seed corpus of each fuzz target into fuzz/corpus/<target>/ from the repository's
real content (content/courses, content/frameworks) and from certificates signed with the test
issuer key the credential targets trust. Small files only (a few KB): libFuzzer grows its own
copy in a temporary folder (fuzz/run.sh); this committed corpus is never grown.

Run from anywhere: python3 fuzz/seeds.py (needs the `cryptography` package for Ed25519)."""

import base64
import gzip
import hashlib
import io
import json
import pathlib
import re
import shutil
import zipfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
CORPUS = ROOT / "fuzz" / "corpus"
# The smallest valid PNG (1 x 1, grey): stands for a course's images, which are 15-20 KB.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010800000000"
    "3a7e9b550000000a49444154789c63600000000200013e6b5bd20000000049454e44ae426082"
)
# Zip entries get a fixed date so that the seeds are the same on every run.
ZIP_DATE = (2026, 1, 1, 0, 0, 0)


def write(target, name, data):
    folder = CORPUS / target
    folder.mkdir(parents=True, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    (folder / name).write_bytes(data)


def trim_markdown(body, limit):
    """The first paragraphs of a lesson body up to about `limit` bytes, keeping its first image."""
    paragraphs = body.split("\n\n")
    kept, size = [], 0
    for paragraph in paragraphs:
        if size + len(paragraph) > limit and kept:
            break
        kept.append(paragraph)
        size += len(paragraph) + 2
    image = next((p for p in paragraphs if p.startswith("![")), None)
    if image and image not in kept:
        kept.append(image)
    return "\n\n".join(kept) + "\n"


def small_course(folder):
    """A valid package made small: the course's own course.toml with one module holding its
    first lesson that shows an image (trimmed), and its quiz cut to one question."""
    course = (folder / "course.toml").read_text()
    lessons = sorted((folder / "lessons").glob("*.md"))
    lesson = next((p for p in lessons if "![" in p.read_text()), lessons[0])
    text = lesson.read_text()
    _, front, body = text.split("+++", 2)
    body = trim_markdown(body.lstrip("\n"), 900)
    lesson_path = f"lessons/{lesson.name}"
    files = {}
    quiz = (folder / "quiz.toml").read_text()
    questions = quiz.split("[[questions]]")
    quiz = "[[questions]]".join(questions[:2])
    head = course.split("[[modules]]")[0]
    files["course.toml"] = (
        f'{head}[[modules]]\ntitle = "Module"\nlessons = ["{lesson_path}"]\nquiz = "quiz.toml"\n'
    ).encode()
    files[lesson_path] = f"+++{front}+++\n\n{body}".encode()
    files["quiz.toml"] = quiz.encode()
    for image in re.findall(r"\]\(([^)]+\.png)\)", body):
        resolved = (pathlib.PurePosixPath("lessons") / image).as_posix()
        parts = []
        for part in resolved.split("/"):
            if part == "..":
                parts.pop()
            else:
                parts.append(part)
        files["/".join(parts)] = PNG
    return files


def zipped(files, prefix="", compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for path, data in sorted(files.items()):
            info = zipfile.ZipInfo(prefix + path, ZIP_DATE)
            info.compress_type = compression
            archive.writestr(info, data)
    return buffer.getvalue()


def as_text(files):
    """The package_files target's format: each file after a line `@@@ <path>`."""
    out = b""
    for path, data in files.items():
        out += b"@@@ " + path.encode() + b"\n" + data
        if not data.endswith(b"\n"):
            out += b"\n"
    return out


def pack(files, slug):
    """A course pack (courses::pack): `manifest.json` listing every file with its size and
    SHA-256, and the package under `package/`."""
    packed = {f"package/{path}": data for path, data in files.items()}
    manifest = {
        "format": "lantern-course-pack",
        "format_version": 1,
        "course": slug,
        "version": 1,
        "title": slug,
        "language": "en",
        "organisation": "EANMA",
        "generated_at": "2026-01-01T00:00:00Z",
        "files": [
            {"path": path, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)}
            for path, data in sorted(packed.items())
        ],
    }
    packed["manifest.json"] = json.dumps(manifest, indent=2).encode()
    return packed


def packages():
    courses = sorted(p for p in (CONTENT / "courses").iterdir() if p.is_dir())
    for index, folder in enumerate(courses):
        files = small_course(folder)
        write("package_files", f"{folder.name}.txt", as_text(files))
        if index == 0:
            # as_text ends every file with a newline: the manifest must say so.
            ended = {p: d if d.endswith(b"\n") else d + b"\n" for p, d in files.items()}
            write("package_files", f"{folder.name}-pack.txt", as_text(pack(ended, folder.name)))
        if index < 3:
            # Deflated, stored, and inside one top folder as a zipped folder holds it.
            write("package_zip", f"{folder.name}.zip", zipped(files))
        if index == 3:
            write("package_zip", f"{folder.name}-stored.zip", zipped(files, compression=zipfile.ZIP_STORED))
        if index == 4:
            write("package_zip", f"{folder.name}-folder.zip", zipped(files, prefix=f"{folder.name}/"))
        if index == 5:
            write("package_zip", f"{folder.name}-pack.zip", zipped(pack(files, folder.name)))


def frameworks():
    source = json.loads((CONTENT / "frameworks/primary-care-nursing-midwifery/framework.json").read_text())
    small = dict(source)
    small["domains"] = [dict(d, competencies=d["competencies"][:2]) for d in source["domains"][:2]]
    codes = {c["code"] for d in small["domains"] for c in d["competencies"]}
    small["roles"] = [
        dict(r, requirements=[q for q in r["requirements"] if q["code"] in codes]) for r in source["roles"][:2]
    ]
    write("framework", "primary-care.json", json.dumps(small, indent=2, ensure_ascii=False))
    # The same framework in the CSV format (competencies::framework::to_csv).
    rows = [["kind", "code", "parent", "level", "title", "description", "professions"]]
    for key in ["slug", "title", "language", "association", "validity_months"]:
        rows.append(["setting", key, "", "", str(small[key]), "", ""])
    for level in small["levels"]:
        rows.append(["level", "", "", str(level["level"]), level["name"], level["descriptor"], ""])
    for domain in small["domains"]:
        rows.append(["domain", domain["code"], domain.get("parent") or "", "", domain["title"], "", ""])
        for c in domain["competencies"]:
            rows.append(["competency", c["code"], domain["code"], "", c["title"], c["description"],
                         ";".join(c["professions"])])
    for role in small["roles"]:
        rows.append(["role", role["slug"], "", "", role["title"], role["description"], ";".join(role["professions"])])
        for q in role["requirements"]:
            rows.append(["requirement", q["code"], role["slug"], str(q["level"]), "", "", ""])

    def cell(text):
        return '"' + text.replace('"', '""') + '"' if any(c in text for c in ',"\n') else text

    write("framework", "primary-care.csv", "".join(",".join(cell(c) for c in row) + "\n" for row in rows))


def roster():
    header = "licence_number,name,profession,renewed_on,region\n"
    write("roster", "good.csv", header + "KE-1,Amina Otieno,midwife,2026-01-15,Turkana\n"
          "KE-2,Juma Kariuki,nurse,2025-11-30,Kisumu\nKE-3,Grace Wanjiru,clinical-officer,2026-02-01,\n")
    write("roster", "problems.csv", header + "KE-1,Amina Otieno,midwife,2026-01-15,Turkana\n"
          "KE-2,Juma,surgeon,2026-01-15,Kisumu\nKE-1,Grace Wanjiru,nurse,2026-02-01,Nakuru\n"
          "KE-4,Baraka,nurse,15/01/2026,Kisumu\nKE-5,Too few\n")
    write("roster", "bom-crlf-quoted.csv", "\ufeffLicence_Number,Name,Profession,Renewed_On,Region\r\n"
          '"UG-10","Nakato, Sarah",midwife,2026-03-01,"Gulu"\r\n\r\n')


def markdown():
    lessons = sorted((CONTENT / "courses").glob("*/lessons/*.md"))
    # A lesson with a callout from each of three courses, and one with a table.
    callouts = {}
    for path in lessons:
        if "[!" in path.read_text():
            callouts.setdefault(path.parent.parent.name, path)
    picked = list(callouts.values())[:3] + [p for p in lessons if "| ---" in p.read_text()][:1]
    for path in picked:
        body = path.read_text().split("+++", 2)[2]
        body = re.sub(r"\]\([^)]*\.png\)", "](media/a.png)", body)
        write("markdown", f"{path.parent.parent.name}-{path.stem}.md", trim_markdown(body.lstrip("\n"), 2500))
    write("markdown", "features.md", """## Media of every kind

![Five moments around a patient's bed](media/a.png) and ![A poster](media/b.jpg)

![Washing hands, step by step](media/d.mp4)

![Counselling a mother](media/c.mp3) then [the guide](https://www.who.int/guide) and ![The form](media/e.pdf)

> [!NOTE]
> A *note* with `code` and ~~struck~~ text.

> [!WARNING]
> Check the **dose** twice.

| Drug | Dose |
| :--- | ---: |
| Oxytocin | 10 IU |

1. first
2. second

<script>alert(1)</script> <a href="javascript:alert(1)">x</a> <img src=x onerror=alert(1)>
""")


def b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def credentials():
    try:
        from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
        from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
    except ImportError:
        print("cryptography is missing: credential seeds not written")
        return
    # The test issuer of fuzz_targets/credential*.rs.
    key = Ed25519PrivateKey.from_private_bytes(bytes([7] * 32))
    public = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    directory = "https://cpd.example.org/keys"
    issuer = "https://cpd.example.org/issuers/eanma"
    thumb = hashlib.sha256(('{"crv":"Ed25519","kty":"OKP","x":"%s"}' % b64(public)).encode()).digest()
    kid = f"{directory}#{b64(thumb)}"

    def jws(claims):
        header = json.dumps({"alg": "EdDSA", "kid": kid, "typ": "JWT"}, separators=(",", ":")).encode()
        signing = b64(header) + "." + b64(json.dumps(claims, separators=(",", ":")).encode())
        return signing + "." + b64(key.sign(signing.encode()))

    list_url = "https://cpd.example.org/status/eanma/1"
    valid_from, valid_until = 1767225600, 1798761600  # 2026-01-01, 2027-01-01
    achievement = "https://cpd.example.org/courses/hand-hygiene/versions/3"
    credential = {
        "@context": ["https://www.w3.org/ns/credentials/v2",
                     "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
        "id": "https://cpd.example.org/certificates/7Hq2",
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": "Hand hygiene and the five moments",
        "issuer": {"id": issuer, "type": ["Profile"], "name": "EANMA", "url": "https://eanma.example.org"},
        "validFrom": "2026-01-01T00:00:00Z",
        "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {
            "id": "urn:uuid:0b7e6a3c-4d3e-4a59-9d0e-1f2a3b4c5d6e",
            "type": ["AchievementSubject"],
            "identifier": [
                {"type": "IdentityObject", "identityType": "name", "hashed": False, "identityHash": "Amina Otieno"},
                {"type": "IdentityObject", "identityType": "ext:LicenceNumber", "hashed": False,
                 "identityHash": "KE-1"},
            ],
            "achievement": {
                "id": achievement, "type": ["Achievement"], "achievementType": "Course",
                "name": "Hand hygiene and the five moments", "description": "WHO's five moments.",
                "criteria": {"narrative": "Passed the quiz."}, "fieldOfStudy": "Infection prevention",
                "version": "3",
                "resultDescription": [{"id": achievement + "#cpd-credits", "type": ["ResultDescription"],
                                       "name": "CPD credits", "resultType": "ext:CPDCredits"}],
            },
            "result": [{"type": ["Result"], "resultDescription": achievement + "#cpd-credits", "value": "1.5"}],
        },
        "credentialStatus": {"id": list_url + "#42", "type": "BitstringStatusListEntry",
                             "statusPurpose": "revocation", "statusListIndex": "42",
                             "statusListCredential": list_url},
        "credentialSchema": [{"id": "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json",
                              "type": "1EdTechJsonSchemaValidator2019"}],
    }
    subject = credential["credentialSubject"]["id"]
    claims = {"iss": issuer, "sub": subject, "jti": credential["id"], "nbf": valid_from, "exp": valid_until,
              "iat": valid_from, "vc": credential}
    bits = b"u" + base64.urlsafe_b64encode(gzip.compress(bytes(16384), mtime=0)).rstrip(b"=")
    status_vc = {
        "@context": ["https://www.w3.org/ns/credentials/v2"], "id": list_url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"], "issuer": issuer,
        "validFrom": "2026-01-01T00:00:00Z", "validUntil": "2027-01-01T00:00:00Z",
        "credentialSubject": {"id": list_url + "#list", "type": "BitstringStatusList",
                              "statusPurpose": "revocation", "encodedList": bits.decode()},
    }
    status_claims = {"iss": issuer, "sub": list_url + "#list", "jti": list_url, "nbf": valid_from,
                     "exp": valid_until, "iat": valid_from, "vc": status_vc}
    write("credential_signed", "certificate.json", json.dumps(claims, indent=1))
    write("credential_signed", "status-list.json", json.dumps(status_claims, indent=1))
    write("credential", "certificate.jwt", jws(claims))
    write("credential", "status-list.jwt", jws(status_claims))
    jwks = {"keys": [{"kty": "OKP", "crv": "Ed25519", "x": b64(public), "kid": kid, "alg": "EdDSA",
                      "use": "sig", "iss": issuer, "nbf": 0}]}
    write("credential", "jwks.json", json.dumps(jwks))

    # The compact form in the QR code (certificate::compact_code): version, key tag, list tag,
    # index, validFrom, validUntil, credits in hundredths, three short texts, the signature.
    def text(value):
        data = value.encode()
        return bytes([len(data)]) + data

    payload = (bytes([1]) + thumb[:4] + hashlib.sha256(list_url.encode()).digest()[:4]
               + (42).to_bytes(4, "big") + valid_from.to_bytes(4, "big") + valid_until.to_bytes(4, "big")
               + (150).to_bytes(4, "big") + text("Amina Otieno") + text("Hand hygiene")
               + text("Infection prevention"))
    public_id = "7Hq2"
    message = b"lantern/cpd-certificate/compact/v1\x00" + bytes([len(public_id)]) + public_id.encode() + payload
    payload += key.sign(message)
    widths = [0, 3, 5, 8, 10, 13, 15, 17]
    digits = "".join(str(int.from_bytes(payload[i:i + 7], "big")).zfill(widths[len(payload[i:i + 7])])
                     for i in range(0, len(payload), 7))
    write("credential", "verify-url.txt", f"https://cpd.example.org/verify/{public_id}#{digits}")


def bulk():
    write("bulk_verification", "json.bin", b"\x10" + json.dumps(
        [{"certificate_id": "7Hq2"}, {"licence_number": "KE-1"}, {"certificate_id": ""}, 5,
         {"licence_number": "KE-2", "extra": [1, {"a": "]"}]}], indent=1).encode())
    write("bulk_verification", "csv.bin", b"\x07" + b"\xef\xbb\xbfCertificate_ID,licence_number\r\n"
          b"7Hq2,\r\n,KE-1\r\n\"7Hq3\",\"KE-2\"\r\n\r\n,\n")


if __name__ == "__main__":
    if CORPUS.exists():
        shutil.rmtree(CORPUS)
    packages()
    frameworks()
    roster()
    markdown()
    credentials()
    bulk()
    for folder in sorted(CORPUS.iterdir()):
        sizes = [f.stat().st_size for f in folder.iterdir()]
        print(f"{folder.name}: {len(sizes)} seeds, largest {max(sizes)} bytes")
