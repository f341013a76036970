//! Certificates end to end: accredit → complete → a signed Open Badges 3.0 certificate with a
//! QR code → verified as valid by anyone; a changed byte → not genuine; revoked → revoked;
//! past its validity (fixed clock) → expired. Keys are published without their secret part.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use lantern::credits::entity::certificate;
use lantern_tests::{Browser, TestApp, accredit, complete};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

async fn verify_pasted(browser: &Browser, credential: &str) -> String {
    let response = browser.post_form("/verify", &[("credential", credential)]).await;
    assert_eq!(response.status(), StatusCode::OK);
    response.text().await.unwrap()
}

#[tokio::test]
async fn a_certificate_is_issued_verified_revoked_and_expires() {
    let app = TestApp::spawn().await;
    let reviewer = accredit(&app, "hand-hygiene", "2.5").await;
    let amina = app.sign_up("Amina Otieno", "amina@example.org").await;
    let juma = app.sign_up("Juma Kiprop", "juma@example.org").await;
    let visitor = app.browser();
    complete(&app, &amina, "hand-hygiene").await;
    complete(&app, &juma, "hand-hygiene").await;

    // Amina's certificate: printable, with a QR code, valid for anyone.
    let db = app.state.db.read();
    let rows = certificate::Entity::find().all(db).await.unwrap();
    assert_eq!(rows.len(), 2, "one certificate per completion");
    let mine = rows.iter().find(|c| c.account_id != rows[1].account_id || c.id == rows[0].id).unwrap();
    let (amina_cert, juma_cert) = if amina.get_text("/me/certificates").await.contains(&mine.public_id) {
        (mine.clone(), rows.iter().find(|c| c.id != mine.id).unwrap().clone())
    } else {
        (rows.iter().find(|c| c.id != mine.id).unwrap().clone(), mine.clone())
    };
    let page = amina.get_text(&format!("/me/certificates/{}", amina_cert.public_id)).await;
    assert!(
        page.contains("<svg") && page.contains("Amina Otieno") && page.contains("2.5"),
        "printable with QR"
    );
    assert!(page.contains("Valid: genuine"));
    assert_eq!(
        juma.get(&format!("/me/certificates/{}", amina_cert.public_id)).await.status(),
        StatusCode::NOT_FOUND
    );
    let page = visitor.get_text(&format!("/verify/{}", amina_cert.public_id)).await;
    assert!(
        page.contains("Valid: genuine") && page.contains("Amina Otieno") && page.contains("East African")
    );

    // The credential itself, pasted: valid; with one byte changed: not genuine.
    let jwt = visitor.get_text(&format!("/certificates/{}.jwt", amina_cert.public_id)).await;
    assert_eq!(jwt, amina_cert.jwt);
    // It names the credits and the competencies the course teaches, aligned to the framework.
    use base64::Engine;
    let payload = jwt.split('.').nth(1).unwrap();
    let claims: serde_json::Value =
        serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).unwrap())
            .unwrap();
    let achievement = &claims["vc"]["credentialSubject"]["achievement"];
    let alignment = achievement["alignment"].as_array().unwrap();
    assert!(
        alignment.iter().any(|a| a["targetCode"] == "IPC.1"
            && a["targetUrl"].as_str().unwrap().contains("/frameworks/primary-care-nursing-midwifery")),
        "{achievement}"
    );
    assert!(verify_pasted(&visitor, &jwt).await.contains("Valid: genuine"));
    let mut tampered = jwt.clone().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    assert!(verify_pasted(&visitor, &tampered).await.contains("Not genuine"));
    assert!(verify_pasted(&visitor, "not a certificate").await.contains("Not genuine"));

    // Keys are published with their kid, never their secret part.
    let jwks: serde_json::Value = visitor.get("/.well-known/jwks.json").await.json().await.unwrap();
    let key = &jwks["keys"][0];
    assert_eq!((key["kty"].as_str(), key["crv"].as_str()), (Some("OKP"), Some("Ed25519")));
    assert!(key["kid"].as_str().unwrap().contains("/issuers/eanma/jwks.json#"));
    assert!(key.get("d").is_none());
    let list = visitor.get("/status/eanma/revocation").await;
    assert_eq!(list.status(), StatusCode::OK);
    assert_eq!(list.text().await.unwrap().split('.').count(), 3, "a signed list");

    // Revoked by the association, with a reason.
    let url = format!("/orgs/eanma/certificates/{}/revoke", amina_cert.public_id);
    assert_eq!(reviewer.post_form(&url, &[("reason", "")]).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        reviewer.post_form(&url, &[("reason", "Issued in error")]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(
        visitor
            .get_text(&format!("/verify/{}", amina_cert.public_id))
            .await
            .contains("Revoked by the issuer")
    );
    assert!(verify_pasted(&visitor, &jwt).await.contains("Revoked by the issuer"));

    // Juma's, a year and a day later: expired.
    assert!(visitor.get_text(&format!("/verify/{}", juma_cert.public_id)).await.contains("Valid: genuine"));
    app.clock.advance(chrono::Duration::days(367));
    let page = visitor.get_text(&format!("/verify/{}", juma_cert.public_id)).await;
    assert!(page.contains("Expired"), "expired on the fixed clock");
    let stored = certificate::Entity::find()
        .filter(certificate::Column::PublicId.eq(&juma_cert.public_id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert!(stored.expires_at.is_some());
}

#[tokio::test]
async fn signing_keys_are_stored_sealed_under_a_key_outside_the_database() {
    use lantern::credits::entity::issuer_key;
    let app = TestApp::spawn().await;
    accredit(&app, "hand-hygiene", "1").await;
    let amina = app.sign_up("Amina Otieno", "amina@example.org").await;
    complete(&app, &amina, "hand-hygiene").await;
    assert!(app.state.credits.checkpoint().await.unwrap().is_some(), "a checkpoint signed");
    let keys = issuer_key::Entity::find().all(app.state.db.read()).await.unwrap();
    assert!(keys.len() >= 2, "the platform's ledger key and the association's");
    for key in &keys {
        assert!(key.secret_key.starts_with("sealed1:"), "{} is sealed", key.kid);
    }
    let file = std::fs::read(app.data_dir.join("secrets.key")).unwrap();
    assert_eq!(file.len(), 32);

    // A key stored before sealing (plain base64) is sealed on the next start and still signs.
    use sea_orm::{ActiveModelTrait, Set};
    let association = keys.iter().find(|k| k.organisation_id.is_some()).unwrap().clone();
    let sealer =
        lantern::platform::secrets::Sealer::open_or_create(&app.data_dir.join("secrets.key")).unwrap();
    let secret = sealer.open(&association.kid, &association.secret_key).unwrap();
    let mut legacy: issuer_key::ActiveModel = association.clone().into();
    use base64::Engine;
    legacy.secret_key = Set(base64::engine::general_purpose::STANDARD.encode(&secret));
    legacy.update(app.state.db.write()).await.unwrap();
    assert_eq!(app.state.credits.seal_stored_keys().await.unwrap(), 1);
    let row = issuer_key::Entity::find_by_id(association.id).one(app.state.db.read()).await.unwrap().unwrap();
    assert_eq!(sealer.open(&row.kid, &row.secret_key), Some(secret));
    // Under another server's key it does not open: the status list cannot be signed.
    let wrong = lantern::platform::secrets::Sealer::from_key(&[9; 32]);
    assert_eq!(wrong.open(&row.kid, &row.secret_key), None);
}

#[tokio::test]
async fn a_rotated_key_keeps_what_it_signed_valid_and_a_new_key_signs_what_follows() {
    let app = TestApp::spawn().await;
    accredit(&app, "hand-hygiene", "2").await;
    assert_eq!(app.state.credits.rotate_signing_key("eanma").await.unwrap(), None, "nothing signed yet");
    assert!(app.state.credits.rotate_signing_key("no-such-association").await.is_err());

    let kid = |jwt: &str| -> String {
        use base64::Engine;
        let header = jwt.split('.').next().unwrap();
        let header: serde_json::Value =
            serde_json::from_slice(&base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap())
                .unwrap();
        header["kid"].as_str().unwrap().to_owned()
    };
    let amina = app.sign_up("Amina Otieno", "amina@example.org").await;
    complete(&app, &amina, "hand-hygiene").await;
    let db = app.state.db.read();
    let before = certificate::Entity::find().one(db).await.unwrap().unwrap();

    app.clock.advance(chrono::Duration::minutes(5));
    let retired = app.state.credits.rotate_signing_key("eanma").await.unwrap();
    assert_eq!(retired, Some(kid(&before.jwt)), "the key that signed is the one retired");
    app.clock.advance(chrono::Duration::minutes(5));

    let juma = app.sign_up("Juma Kiprop", "juma@example.org").await;
    complete(&app, &juma, "hand-hygiene").await;
    let after = certificate::Entity::find()
        .filter(certificate::Column::Id.ne(before.id))
        .one(db)
        .await
        .unwrap()
        .unwrap();
    assert_ne!(kid(&after.jwt), kid(&before.jwt), "a new key signs after the rotation");

    let visitor = app.browser();
    for cert in [&before, &after] {
        assert!(verify_pasted(&visitor, &cert.jwt).await.contains("Valid: genuine"), "{}", cert.public_id);
        let page = visitor.get_text(&format!("/verify/{}", cert.public_id)).await;
        assert!(page.contains("Valid: genuine"), "{}", cert.public_id);
    }
    let jwks: serde_json::Value = visitor.get("/issuers/eanma/jwks.json").await.json().await.unwrap();
    let kids: Vec<&str> =
        jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert!(
        kids.contains(&kid(&before.jwt).as_str()) && kids.contains(&kid(&after.jwt).as_str()),
        "{kids:?}"
    );
}
