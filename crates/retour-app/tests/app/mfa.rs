//! Two-step sign-in (both backends): a programme manager must set up a second factor at the
//! first sign-in, confirms it with a code from the app, gets ten recovery codes; a code and a
//! recovery code each sign in once; wrong codes are throttled; the secret is stored encrypted;
//! an administrator's reset ends the sessions and asks for a new set-up.

use super::*;
use totp_rs::{Algorithm, Secret, TOTP};

/// What the authenticator app shows now, for the secret as the enrolment page writes it.
fn code_now(secret: &str, offset_steps: i64) -> String {
    let bytes = Secret::Encoded(secret.replace(' ', ""))
        .to_bytes()
        .expect("base32 secret");
    let t = TOTP::new_unchecked(Algorithm::SHA1, 6, 0, 30, bytes, None, String::new());
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    t.generate((now + 30 * offset_steps) as u64)
}

#[tokio::test]
async fn a_manager_sets_up_a_second_factor_and_each_code_signs_in_once() {
    let (db, app) = app().await;
    let pm = account(&app, "pm@x.be", Role::ProgrammeManager, None, None).await;
    let admin = account(&app, "admin@x.be", Role::Admin, None, None).await;
    let c = account(&app, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;

    // The counsellor's role does not require it: signed in at once.
    signed_in(app.sign_in("c@x.be", PASSWORD, HOME).await);

    // The manager's does: no session before a second factor is set up.
    let Ok(SignInStep::Enrol { pending }) = app.sign_in("pm@x.be", PASSWORD, HOME).await else {
        panic!("the manager must set up a second factor first");
    };
    let offered = app.enrolment(&pending).await.unwrap();
    assert!(offered.uri.starts_with("otpauth://totp/Retour:pm%40x.be?"));
    assert!(offered.qr_svg.contains("role=\"img\""));
    assert_eq!(
        app.enrolment(&pending).await.unwrap().secret,
        offered.secret,
        "the same secret until it is confirmed"
    );
    assert!(matches!(
        app.confirm_enrolment(&pending, "000000", HOME).await,
        Err(SignInErrorOr::SignIn(SignInError::Refused))
    ));
    let code = code_now(&offered.secret, 0);
    let (session, recovery) = app
        .confirm_enrolment(&pending, &code, HOME)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(recovery.len(), 10);
    assert_eq!(
        app.session(&session.token).await.unwrap().unwrap().user.id,
        pm.id
    );
    // The pending sign-in is spent.
    assert!(app.confirm_enrolment(&pending, &code, HOME).await.is_err());

    // Stored encrypted, bound to the account: the secret is nowhere in the clear.
    let stored = db.store.mfa(pm.id).await.unwrap().unwrap();
    assert!(stored.secret.starts_with("v2:"), "{}", stored.secret);
    assert!(!stored.secret.contains(&offered.secret.replace(' ', "")));

    // Next sign-in: the password, then a code. The code that confirmed the set-up is used up.
    let second = |app: &App| {
        let app = app.clone();
        async move {
            match app.sign_in("pm@x.be", PASSWORD, HOME).await {
                Ok(SignInStep::SecondFactor { pending }) => pending,
                _ => panic!("a code is asked for"),
            }
        }
    };
    let pending = second(&app).await;
    assert!(matches!(
        app.second_factor(&pending, &code, HOME).await,
        Err(SignInErrorOr::SignIn(SignInError::Refused))
    ));
    // The next step's code (the app one step ahead) works, once.
    let next = code_now(&offered.secret, 1);
    app.second_factor(&pending, &next, HOME)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let pending = second(&app).await;
    assert!(app.second_factor(&pending, &next, HOME).await.is_err());

    // A recovery code, as typed by hand (upper case, spaces), works once.
    let typed = recovery[3].to_uppercase().replace('-', " ");
    app.second_factor(&pending, &typed, HOME)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    let pending = second(&app).await;
    assert!(matches!(
        app.second_factor(&pending, &recovery[3], HOME).await,
        Err(SignInErrorOr::SignIn(SignInError::Refused))
    ));
    let status = app
        .second_factor_status(&pm, &app.own_account(&pm).await.unwrap())
        .await
        .unwrap();
    assert_eq!((status.enrolled, status.recovery_codes_left), (true, 9));

    // Guessing is throttled per account and client, like passwords.
    let guesser: std::net::IpAddr = "203.0.113.5".parse().unwrap();
    let pending = second(&app).await;
    let mut throttled = false;
    for _ in 0..retour_app::sessions::MAX_FAILURES + 1 {
        if let Err(SignInErrorOr::SignIn(SignInError::Throttled)) =
            app.second_factor(&pending, "123456", guesser).await
        {
            throttled = true;
        }
    }
    assert!(throttled, "wrong codes are throttled");

    // Only an administrator resets it; the manager's sessions end and the next sign-in sets
    // up a new one.
    assert!(matches!(
        app.reset_second_factor(Some(&c), pm.id).await,
        Err(AppError::Forbidden)
    ));
    app.reset_second_factor(Some(&admin), pm.id).await.unwrap();
    assert!(app.session(&session.token).await.unwrap().is_none());
    assert!(matches!(
        app.sign_in("pm@x.be", PASSWORD, HOME).await,
        Ok(SignInStep::Enrol { .. })
    ));
    // A second reset (another administrator, a stale page) finds nothing to do.
    app.reset_second_factor(Some(&admin), pm.id).await.unwrap();
    let actions: Vec<String> = db
        .store
        .audit_page(&retour_store::AuditQuery {
            case_id: None,
            actor_id: None,
            action: None,
            from: None,
            until: None,
            before: None,
            limit: 100,
        })
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    for a in ["user.mfa_enrol", "user.mfa_recovery_code", "user.mfa_reset"] {
        assert!(actions.contains(&a.to_string()), "{a} audited: {actions:?}");
    }
    db.finish().await;
}

#[tokio::test]
async fn anyone_may_set_up_a_second_factor_and_the_required_roles_are_a_setting() {
    let (db, app) = app().await;
    let c = account(&app, "c@x.be", Role::Counsellor, Some("poelkapelle"), None).await;
    account(&app, "pm@x.be", Role::ProgrammeManager, None, None).await;
    assert_eq!(
        app.mfa_roles(),
        retour_app::mfa::DEFAULT_MFA_ROLES,
        "required by default for the roles that read or approve across all cases"
    );
    let session = signed_in(app.sign_in("c@x.be", PASSWORD, HOME).await);
    let offered = app.account_enrolment(&c, &session.token).await.unwrap();
    let codes = app
        .confirm_account_enrolment(&c, &session.token, &code_now(&offered.secret, 0), HOME)
        .await
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(codes.len(), 10);
    // From now on the counsellor is asked for a code too.
    assert!(matches!(
        app.sign_in("c@x.be", PASSWORD, HOME).await,
        Ok(SignInStep::SecondFactor { .. })
    ));
    // A deployment that names no roles signs managers in with their password alone.
    let relaxed = app.clone().with_mfa_roles(vec![]);
    signed_in(relaxed.sign_in("pm@x.be", PASSWORD, HOME).await);
    db.finish().await;
}
