//! `SECRET_KEY` rotation (its own test binary: the process's key is set once): a database used
//! with the old key refuses the new key alone, accepts it with the old one in `SECRET_KEY_OLD`,
//! and `server rotate-secrets` seals every stored secret again under the new key — then the old
//! key may leave. A value sealed under a key nobody listed is reported and stops the move.

mod common;

use app::backend::platform::secret::{self, KeyError, Rotation};
use app::backend::staff::accounts;
use app::domain::{Email, StaffRole};
use common::{all_dbs, test_config};

#[tokio::test]
async fn a_rotation_reseals_every_secret_under_the_new_key_then_the_old_key_may_leave() {
    let (old, new, stranger) = ("o".repeat(40), "n".repeat(40), "s".repeat(40));
    // Two old keys listed (SECRET_KEY_OLD takes several): the data's is the second.
    let older = "p".repeat(40);
    secret::install(new.as_bytes().to_vec(), vec![older.as_bytes().to_vec(), old.as_bytes().to_vec()]);
    for t in all_dbs().await {
        // A database used with the old key.
        secret::load_or_create(&t.db, Some(&old), &[]).await.unwrap();
        let config = test_config(&t.url);
        let mut ids = Vec::new();
        for (i, key) in [&old, &stranger].into_iter().enumerate() {
            let email = Email::parse(&format!("s{i}@kenpo.test")).unwrap();
            accounts::add(
                &t.db,
                &config,
                0,
                None,
                accounts::NewStaff { name: "職員", email: &email, role: StaffRole::Admin, member: None },
            )
            .await
            .unwrap();
            let (id,): (String,) = sqlx::query_as("SELECT id FROM staff WHERE email_norm = $1")
                .bind(format!("s{i}@kenpo.test"))
                .fetch_one(&t.db)
                .await
                .unwrap();
            sqlx::query("UPDATE staff SET setup_secret = $1 WHERE id = $2")
                .bind(secret::seal_under(key.as_bytes(), "staff", &id, "JBSWY3DPEHPK3PXP"))
                .bind(&id)
                .execute(&t.db)
                .await
                .unwrap();
            ids.push(id);
        }

        let alone = secret::load_or_create(&t.db, Some(&new), &[]).await;
        assert!(matches!(alone, Err(KeyError::Mismatch { .. })), "{}: the new key alone is refused", t.name);
        secret::load_or_create(&t.db, Some(&new), std::slice::from_ref(&old)).await.expect("with the old key listed");
        let sealed_old = |id: &str| {
            let db = t.db.clone();
            let id = id.to_string();
            async move {
                let (v,): (String,) = sqlx::query_as("SELECT setup_secret FROM staff WHERE id = $1").bind(id).fetch_one(&db).await.unwrap();
                v
            }
        };
        // A backup code made under the old key (hashes cannot be re-keyed): still spent once.
        let (label, code) = ("staff-backup-code", "abcdefghjk");
        let old_hash = secret::macs(&[label, &ids[0], code])[2].clone();
        sqlx::query("INSERT INTO staff_backup_codes (staff_id, code_hash) VALUES ($1, $2)")
            .bind(&ids[0])
            .bind(&old_hash)
            .execute(&t.db)
            .await
            .unwrap();
        let backup = app::domain::SecondFactor::parse(code).unwrap();
        assert!(
            app::backend::identity::totp::STAFF.spend(&t.db, &ids[0], "", &backup, 0).await.unwrap(),
            "{}: under the second old key",
            t.name
        );
        assert!(!app::backend::identity::totp::STAFF.spend(&t.db, &ids[0], "", &backup, 0).await.unwrap(), "once");
        let before = sealed_old(&ids[0]).await;
        assert_eq!(secret::open_for("staff", &ids[0], &before).as_deref(), Some("JBSWY3DPEHPK3PXP"), "the old key still opens");
        assert_eq!(secret::open_for("staff", &ids[1], &sealed_old(&ids[1]).await), None, "a key nobody listed");

        // One value under an unknown key: reported, and the fingerprint stays with the old key.
        assert_eq!(secret::rotate(&t.db).await.unwrap(), Rotation { resealed: 1, unreadable: 1 }, "{}", t.name);
        assert!(secret::load_or_create(&t.db, Some(&new), &[]).await.is_err(), "not moved while a value is unreadable");
        let after = sealed_old(&ids[0]).await;
        assert_ne!(after, before);
        assert_eq!(secret::open_for("staff", &ids[0], &after).as_deref(), Some("JBSWY3DPEHPK3PXP"));
        assert_eq!(secret::open_for("staff", &ids[1], &after), None, "bound to its owner");

        // That account is reset (its value dropped): the rotation completes, the old key may leave.
        sqlx::query("UPDATE staff SET setup_secret = NULL WHERE id = $1").bind(&ids[1]).execute(&t.db).await.unwrap();
        assert_eq!(secret::rotate(&t.db).await.unwrap(), Rotation { resealed: 1, unreadable: 0 });
        secret::load_or_create(&t.db, Some(&new), &[]).await.expect("the new key alone, after the rotation");
        assert!(
            matches!(secret::load_or_create(&t.db, Some(&old), &[]).await, Err(KeyError::Mismatch { .. })),
            "the old key alone no more"
        );
    }
}
