#!/usr/bin/env python3
"""Independent check of a Lantern certificate (an Open Badges 3.0 VC-JWT) with PyJWT.

Usage:
    python verify_certificate.py --jwks JWKS.json --jwt CERTIFICATE.jwt [--schema SCHEMA.json]

Exit status 0 and one "OK ..." line when the certificate is genuine and in date; exit status 1
and one "REJECTED: reason" line otherwise. It shares no code with the Rust verifier
(backend/src/credits/certificate.rs), which is the point: it checks that
  1. the JOSE header is {alg: EdDSA, kid, typ?: JWT} and nothing else (OB 3.0 §8.2.3),
  2. the signature verifies with the JWK whose kid matches (EdDSA / Ed25519), and no JWK holds "d",
  3. nbf and exp hold now (PyJWT, no leeway), and iss, sub, jti, nbf, exp equal issuer.id,
     credentialSubject.id, id, validFrom, validUntil of the `vc` claim (OB 3.0 §8.2.4.1),
  4. the `vc` claim validates against the Open Badges 3.0 AchievementCredential JSON Schema.

Requires: pip install 'pyjwt[crypto]' jsonschema   (the Rust test runs this script when
LANTERN_PYTHON names such a python: see `an_independent_python_verifier_accepts_our_certificates`).

The schema beside this script, ob_v3p0_achievementcredential_schema.json, is the 1EdTech
openbadges-specification repository's docs/schema/achievementcredential.json at commit
c73e9663afcdbe009a224f7be061ac895168a5b8 (2024-07-30, "Automated build"; git blob
45ea49783e529fe9716cd2d2f061f3fa90db49a4), unchanged. Apart from its $id and prose it is identical
to the file published at
https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json
(as downloaded on 2024-09-12 into educredentials/obv3-examples, schemas/, commit 9c3ed67).
"""

import argparse
import base64
import datetime
import json
import pathlib
import sys

import jsonschema
import jwt

HERE = pathlib.Path(__file__).resolve().parent


def reject(reason):
    print(f"REJECTED: {reason}")
    sys.exit(1)


def no_duplicates(pairs):
    keys = [k for k, _ in pairs]
    if len(keys) != len(set(keys)):
        raise ValueError(f"duplicate JSON member names: {keys}")
    return dict(pairs)


def instant(text):
    """RFC 3339 timestamp -> Unix seconds (whole seconds only)."""
    when = datetime.datetime.fromisoformat(text.replace("Z", "+00:00"))
    if when.tzinfo is None or when.microsecond:
        raise ValueError(f"not a whole-second timestamp with a zone: {text}")
    return int(when.timestamp())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jwks", required=True, type=pathlib.Path)
    parser.add_argument("--jwt", required=True, type=pathlib.Path)
    parser.add_argument("--schema", type=pathlib.Path, default=HERE / "ob_v3p0_achievementcredential_schema.json")
    args = parser.parse_args()

    token = args.jwt.read_text().strip()
    jwks = json.loads(args.jwks.read_text(), object_pairs_hook=no_duplicates)
    for key in jwks["keys"]:
        if "d" in key:
            reject(f"the JWKS holds a private key ({key.get('kid')})")

    try:
        header = jwt.get_unverified_header(token)
    except jwt.PyJWTError as error:
        reject(f"unreadable header: {error}")
    if header.get("alg") != "EdDSA" or set(header) - {"alg", "kid", "typ"} or header.get("typ", "JWT") != "JWT":
        reject(f"unsupported JOSE header {header}")
    matching = [k for k in jwks["keys"] if k.get("kid") == header.get("kid")]
    if len(matching) != 1:
        reject(f"no single key with kid {header.get('kid')!r}")
    public_key = jwt.PyJWK(matching[0], algorithm="EdDSA")

    try:
        claims = jwt.decode(
            token,
            key=public_key,
            algorithms=["EdDSA"],
            options={"require": ["iss", "sub", "jti", "nbf"], "verify_aud": False},
            leeway=0,
        )
    except jwt.ExpiredSignatureError:
        reject("expired (exp is in the past)")
    except jwt.ImmatureSignatureError:
        reject("not yet valid (nbf or iat is in the future)")
    except jwt.PyJWTError as error:
        reject(f"signature or claims invalid: {type(error).__name__}: {error}")

    # PyJWT keeps the last of duplicate members; re-read the verified payload strictly.
    payload_b64 = token.split(".")[1]
    try:
        raw = base64.urlsafe_b64decode(payload_b64 + "=" * (-len(payload_b64) % 4))
        json.loads(raw, object_pairs_hook=no_duplicates)
    except ValueError as error:
        reject(str(error))

    vc = claims.get("vc")
    if not isinstance(vc, dict):
        reject("no vc claim")
    issuer = vc.get("issuer")
    issuer_id = issuer.get("id") if isinstance(issuer, dict) else issuer
    checks = [
        ("iss", claims["iss"], issuer_id),
        ("sub", claims["sub"], vc.get("credentialSubject", {}).get("id")),
        ("jti", claims["jti"], vc.get("id")),
        ("nbf", claims["nbf"], instant(vc["validFrom"]) if "validFrom" in vc else None),
        ("exp", claims.get("exp"), instant(vc["validUntil"]) if "validUntil" in vc else None),
    ]
    for name, claim, credential in checks:
        if claim != credential:
            reject(f"{name} = {claim!r} but the credential says {credential!r}")
    if matching[0].get("iss") not in (None, issuer_id):
        reject("the key belongs to another issuer")

    schema = json.loads(args.schema.read_text())
    validator = jsonschema.Draft201909Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(vc), key=lambda e: list(e.path))
    if errors:
        reject("; ".join(f"{'/'.join(map(str, e.path)) or '(root)'}: {e.message}" for e in errors[:5]))

    subject = vc["credentialSubject"]
    print(
        f"OK {vc['id']} issued by {issuer_id} to {subject['id']}: "
        f"{subject['achievement']['name']!r}, valid from {vc['validFrom']}"
        + (f" until {vc['validUntil']}" if "validUntil" in vc else "")
        + "; OB 3.0 schema ok"
    )


if __name__ == "__main__":
    main()
