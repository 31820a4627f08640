//! Accounts through the pages: an admin changes a role and office and hands out a one-time reset
//! link; a user changes their own password; both end the sessions that must end.

use retour_app::Role;

use crate::support::{sign_in_with, Client, TestServer, PASSWORD};

/// The address of the link whose text is `text`.
fn href_of(html: &str, text: &str) -> String {
    let end = html
        .find(&format!("\">{text}</a>"))
        .unwrap_or_else(|| panic!("a link named {text}"));
    let start = html[..end].rfind("href=\"").expect("href") + 6;
    html[start..end].to_string()
}

async fn actions_in_audit(s: &TestServer) -> Vec<(String, String)> {
    s.app
        .audit(None, &Default::default(), None, 100)
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

#[tokio::test]
async fn an_admin_changes_a_role_and_office_and_hands_out_a_one_time_reset_link() {
    let s = TestServer::start().await;
    let pm = s
        .account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.app
        .create_partner_org(&pm, "iom-xk", "IOM Kosovo", "iom", &["XK".into()])
        .await
        .unwrap();
    s.account("admin@x.org", Role::Admin, None, None).await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let admin = s.sign_in("admin@x.org").await;
    let counsellor = s.sign_in("c@x.org").await;

    // From the menu to the list, and from the list to the account.
    let home = admin.get("/home").await.text().await.unwrap();
    let list = admin
        .get(&href_of(&home, "Users"))
        .await
        .text()
        .await
        .unwrap();
    let account = href_of(&list, "c@x.org");
    let page = admin.get(&account).await.text().await.unwrap();
    assert!(page.contains("value=\"poelkapelle\""), "{page}");

    // A partner caseworker of an organisation Retour does not know is refused at its field.
    let r = admin
        .post(
            &account,
            &[
                ("display_name", "Chris"),
                ("role", "partner_caseworker"),
                ("office", ""),
                ("partner_org", "nowhere-xx"),
            ],
        )
        .await;
    assert_eq!(r.status(), 422);
    let body = r.text().await.unwrap();
    assert!(body.contains("id=\"e-partner-err\""), "{body}");
    assert!(
        body.contains("href=\"#e-partner_org\""),
        "summary links to the field"
    );
    assert!(body.contains("nowhere-xx"));

    // Moved to another office: saved, audited, and the counsellor signs in again.
    let r = admin
        .post(
            &account,
            &[
                ("display_name", "Chris"),
                ("role", "counsellor"),
                ("office", "brussel"),
                ("partner_org", "iom-xk"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let saved = admin
        .get(r.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(saved.contains("Changes saved"), "{saved}");
    assert!(saved.contains("value=\"brussel\""));
    assert!(
        !saved.contains("<option value=\"iom-xk\" selected>"),
        "a counsellor keeps no partner"
    );
    assert!(
        saved.contains("<option value=\"iom-xk\">IOM Kosovo</option>"),
        "partners are picked by name"
    );
    assert_eq!(
        counsellor.get("/home").await.status(),
        303,
        "the old session no longer works"
    );
    let (status, again) = sign_in_with(&s, "c@x.org", PASSWORD).await;
    assert_eq!(status, 303);
    let account_page = again.get("/account").await.text().await.unwrap();
    assert!(
        account_page.contains("Terugkeerloket Brussel"),
        "{account_page}"
    );
    assert!(actions_in_audit(&s)
        .await
        .iter()
        .any(|(a, d)| a == "user.update" && d.contains("office poelkapelle -> brussel")));

    // A reset link, shown to the admin once; the account holder opens it without signing in.
    let r = admin.post(&format!("{account}/reset-link"), &[]).await;
    assert_eq!(r.status(), 200);
    let body = r.text().await.unwrap();
    let start = body.find("/reset?token=").expect("the link is shown");
    let end = start + body[start..].find('<').unwrap();
    let link = body[start..end].to_string();
    let holder = Client::new(&s);
    let form = holder.get(&link).await.text().await.unwrap();
    assert!(form.contains("c@x.org"), "{form}");
    let token = link.trim_start_matches("/reset?token=");
    let new_password = "a brand new passphrase";
    let mismatch = holder
        .post_form(
            "/reset",
            &[
                ("token", token),
                ("password", new_password),
                ("password_again", "something else entirely"),
            ],
        )
        .await;
    assert_eq!(mismatch.status(), 422);
    assert!(mismatch
        .text()
        .await
        .unwrap()
        .contains("The two new passwords are not the same."));

    // The link in two tabs at once: one sets the password, the other is told the link is used.
    let other_tab = Client::new(&s);
    let form = [
        ("token", token),
        ("password", new_password),
        ("password_again", new_password),
    ];
    let (a, b) = tokio::join!(
        holder.post_form("/reset", &form),
        other_tab.post_form("/reset", &form)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    assert_eq!(
        again.get("/home").await.status(),
        303,
        "a reset ends every session"
    );
    assert_eq!(sign_in_with(&s, "c@x.org", PASSWORD).await.0, 401);
    assert_eq!(sign_in_with(&s, "c@x.org", new_password).await.0, 303);
    assert_eq!(holder.get(&link).await.status(), 404, "used once");
    s.stop().await;
}

#[tokio::test]
async fn a_user_changes_their_own_password_in_dutch_and_their_other_sessions_end() {
    let s = TestServer::start().await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let tab = s.sign_in("c@x.org").await;
    let elsewhere = s.sign_in("c@x.org").await;
    let r = tab
        .post("/language", &[("lang", "nl"), ("back", "/account")])
        .await;
    assert_eq!(r.status(), 303);
    // The account is reached from the name in the header.
    let home = tab.get("/home").await.text().await.unwrap();
    assert!(home.contains("<a href=\"/account\">"));
    let page = tab.get("/account").await.text().await.unwrap();
    assert!(page.contains("Mijn account"), "{page}");

    let new_password = "een heel nieuw wachtwoord";
    let wrong = tab
        .post(
            "/account/password",
            &[
                ("current", "niet het mijne"),
                ("password", new_password),
                ("password_again", new_password),
            ],
        )
        .await;
    assert_eq!(wrong.status(), 422);
    let body = wrong.text().await.unwrap();
    assert!(
        body.contains("Dit is niet uw huidige wachtwoord."),
        "{body}"
    );
    assert!(
        body.contains("Huidig wachtwoord: "),
        "the summary names the field"
    );

    let short = tab
        .post(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "kort"),
                ("password_again", "kort"),
            ],
        )
        .await;
    assert_eq!(short.status(), 422);
    assert!(short
        .text()
        .await
        .unwrap()
        .contains("Het wachtwoord moet minstens 12 tekens lang zijn."));

    let ok = tab
        .post(
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", new_password),
                ("password_again", new_password),
            ],
        )
        .await;
    assert_eq!(ok.status(), 303);
    let done = tab
        .get(ok.headers()["location"].to_str().unwrap())
        .await
        .text()
        .await
        .unwrap();
    assert!(done.contains("Uw wachtwoord is gewijzigd."), "{done}");
    assert_eq!(
        elsewhere.get("/home").await.status(),
        303,
        "the other session ended"
    );
    assert_eq!(sign_in_with(&s, "c@x.org", PASSWORD).await.0, 401);
    assert_eq!(sign_in_with(&s, "c@x.org", new_password).await.0, 303);
    assert!(actions_in_audit(&s)
        .await
        .iter()
        .any(|(a, _)| a == "user.password_change"));
    s.stop().await;
}

#[tokio::test]
async fn offices_are_records_picked_by_name_and_an_unknown_one_is_refused() {
    let s = TestServer::start().await;
    s.account("pm@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.account("c@x.org", Role::Counsellor, Some("poelkapelle"), None)
        .await;
    let pm = s.sign_in("pm@x.org").await;
    // From the menu to the offices, where a new one is added and named.
    let home = pm.get("/home").await.text().await.unwrap();
    let offices = href_of(&home, "Offices");
    let r = pm
        .post(
            &offices,
            &[("id", "Hasselt Desk"), ("name", "Terugkeerloket Hasselt")],
        )
        .await;
    assert_eq!(
        r.status(),
        422,
        "a code is lower-case letters, digits, hyphens"
    );
    assert!(r.text().await.unwrap().contains("href=\"#o-id\""));
    let r = pm
        .post(
            &offices,
            &[("id", "hasselt"), ("name", "Terugkeerloket Hasselt")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let r = pm
        .post(&offices, &[("id", "hasselt"), ("name", "Tweede")])
        .await;
    assert_eq!(r.status(), 409, "a code in use");
    let r = pm
        .post(
            "/admin/offices/hasselt",
            &[("name", "Terugkeerloket Hasselt-Genk")],
        )
        .await;
    assert_eq!(r.status(), 303);
    let list = pm.get(&offices).await.text().await.unwrap();
    assert!(
        list.contains("value=\"Terugkeerloket Hasselt-Genk\""),
        "{list}"
    );

    // A counsellor's case, moved by the manager to that office: picked by name, shown by name.
    let counsellor = s.db.actor_of("c@x.org").await;
    let case = s
        .app
        .register_case(&counsellor, &retour_app::demo::miftari())
        .await
        .unwrap();
    let form = pm
        .get(&format!("/cases/{}/edit", case.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        form.contains("<option value=\"hasselt\">Terugkeerloket Hasselt-Genk</option>"),
        "{form}"
    );
    assert!(
        form.contains("<option value=\"poelkapelle\" selected>Opvangcentrum Poelkapelle</option>")
    );
    let manager = s.db.actor_of("pm@x.org").await;
    let mut input = retour_domain::HouseholdInput::from_household(&case.household);
    input.office = "haselt".into();
    let wrong = s
        .app
        .update_household(&manager, case.id, case.version, &input)
        .await;
    assert!(
        matches!(&wrong, Err(retour_app::AppError::Invalid(e)) if e.0[0].field.as_deref() == Some("office")),
        "an office typed wrong is refused, not created: {wrong:?}"
    );
    input.office = "hasselt".into();
    s.app
        .update_household(&manager, case.id, case.version, &input)
        .await
        .unwrap();
    let page = pm
        .get(&format!("/cases/{}", case.id))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("Terugkeerloket Hasselt-Genk"), "{page}");
    s.stop().await;
}
