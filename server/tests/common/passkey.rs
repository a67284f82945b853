//! A software authenticator for the passkey tests: what a phone's platform authenticator answers
//! to `navigator.credentials.create` / `get` (attestation "none", ES256, user verified), in the
//! JSON `public/passkey.js` sends.
#![allow(dead_code)]

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine as _;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use serde_cbor_2::Value;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

pub struct Authenticator {
    key: SigningKey,
    pub cred_id: Vec<u8>,
    counter: u32,
    /// The user handle the registration gave (a discoverable credential keeps it).
    user_handle: Option<Vec<u8>>,
    origin: String,
}

const UP: u8 = 0x01;
const UV: u8 = 0x04;
const AT: u8 = 0x40;

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn text(s: &str) -> Value {
    Value::Text(s.into())
}

impl Authenticator {
    /// A new authenticator for pages at `origin` (`http://localhost:PORT`); `seed` makes its key.
    pub fn new(origin: &str, seed: u8) -> Self {
        let mut secret = [seed; 32];
        secret[0] = 1;
        Self {
            key: SigningKey::from_slice(&secret).expect("a P-256 key"),
            cred_id: Sha256::digest([seed, 0xc0, 0xde]).to_vec(),
            counter: 0,
            user_handle: None,
            origin: origin.into(),
        }
    }

    fn client_data(&self, kind: &str, challenge: &str) -> Vec<u8> {
        serde_json::json!({ "type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false }).to_string().into_bytes()
    }

    fn auth_data(&mut self, rp_id: &str, flags: u8, attested: Option<Vec<u8>>) -> Vec<u8> {
        self.counter += 1;
        let mut data = Sha256::digest(rp_id.as_bytes()).to_vec();
        data.push(flags);
        data.extend_from_slice(&self.counter.to_be_bytes());
        if let Some(attested) = attested {
            data.extend(attested);
        }
        data
    }

    /// The answer to creation options (the JSON the server sent): the credential, registered.
    pub fn create(&mut self, options: &str) -> String {
        let o: serde_json::Value = serde_json::from_str(options).expect("creation options");
        let pk = &o["publicKey"];
        let rp_id = pk["rp"]["id"].as_str().expect("rp id");
        assert_eq!(pk["authenticatorSelection"]["userVerification"], "required", "{pk}");
        assert_eq!(pk["authenticatorSelection"]["residentKey"], "required", "a discoverable credential: {pk}");
        self.user_handle = Some(URL_SAFE_NO_PAD.decode(pk["user"]["id"].as_str().expect("user id")).expect("b64"));
        let point = self.key.verifying_key().to_sec1_point(false);
        let xy = &point.as_bytes()[1..];
        let cose: BTreeMap<Value, Value> = [
            (Value::Integer(1), Value::Integer(2)),
            (Value::Integer(3), Value::Integer(-7)),
            (Value::Integer(-1), Value::Integer(1)),
            (Value::Integer(-2), Value::Bytes(xy[..32].to_vec())),
            (Value::Integer(-3), Value::Bytes(xy[32..].to_vec())),
        ]
        .into_iter()
        .collect();
        let mut attested = vec![0u8; 16];
        attested.extend_from_slice(&(self.cred_id.len() as u16).to_be_bytes());
        attested.extend_from_slice(&self.cred_id);
        attested.extend(serde_cbor_2::to_vec(&Value::Map(cose)).unwrap());
        let auth_data = self.auth_data(rp_id, UP | UV | AT, Some(attested));
        let attestation: BTreeMap<Value, Value> =
            [(text("fmt"), text("none")), (text("attStmt"), Value::Map(BTreeMap::new())), (text("authData"), Value::Bytes(auth_data))]
                .into_iter()
                .collect();
        let client_data = self.client_data("webauthn.create", pk["challenge"].as_str().expect("challenge"));
        serde_json::json!({
            "id": b64(&self.cred_id), "rawId": b64(&self.cred_id), "type": "public-key",
            "response": {
                "attestationObject": b64(&serde_cbor_2::to_vec(&Value::Map(attestation)).unwrap()),
                "clientDataJSON": b64(&client_data),
                "transports": ["internal"],
            },
            "extensions": {},
        })
        .to_string()
    }

    /// The answer to request options: an assertion signed by this credential's key.
    pub fn get(&mut self, options: &str) -> String {
        let o: serde_json::Value = serde_json::from_str(options).expect("request options");
        let pk = &o["publicKey"];
        let rp_id = pk["rpId"].as_str().expect("rp id");
        assert_eq!(pk["userVerification"], "required", "{pk}");
        let auth_data = self.auth_data(rp_id, UP | UV, None);
        let client_data = self.client_data("webauthn.get", pk["challenge"].as_str().expect("challenge"));
        let mut signed = auth_data.clone();
        signed.extend(Sha256::digest(&client_data));
        let signature: Signature = self.key.sign(&signed);
        serde_json::json!({
            "id": b64(&self.cred_id), "rawId": b64(&self.cred_id), "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": self.user_handle.as_deref().map(b64),
            },
            "extensions": {},
        })
        .to_string()
    }
}
