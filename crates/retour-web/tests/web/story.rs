//! The Miftari story in a real browser, in Dutch and in French: from registration to closing
//! only by following links and filling forms (no address typed after signing in), switching
//! between the counsellor, the medical advisor, the programme manager and the IOM Kosovo
//! caseworker, each finding the case in their own queue. Every page visited is checked with
//! axe-core; the French run is at phone width (390 px).

use fantoccini::{Client, Locator};
use retour_app::Role;

use crate::browser::{
    axe_source, check_accessibility, click, fill, html, screenshot, start_browser, submit,
    wait_path,
};
use crate::support::{TestServer, PASSWORD};

pub(crate) async fn select(c: &Client, css: &str, value: &str) {
    c.find(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("{css}: {e}"))
        .select_by_value(value)
        .await
        .unwrap_or_else(|e| panic!("{css} = {value}: {e}"));
}

/// Picks the option whose text contains `text` (a person, by name).
pub(crate) async fn pick(c: &Client, css: &str, text: &str) {
    let ok = c
        .execute(
            "const s = document.querySelector(arguments[0]);
             const o = [...s.options].find(o => o.text.includes(arguments[1]));
             if (!o) return false; s.value = o.value; return true;",
            vec![css.into(), text.into()],
        )
        .await
        .unwrap();
    assert_eq!(ok, true, "{css} offers {text}");
}

/// Sets a date field as its date picker would.
pub(crate) async fn date(c: &Client, css: &str, day: time::Date) {
    c.execute(
        "document.querySelector(arguments[0]).value = arguments[1];",
        vec![css.into(), retour_domain::dates::format_date(day).into()],
    )
    .await
    .unwrap();
}

pub(crate) struct Walk<'a> {
    pub c: &'a Client,
    pub axe: &'a str,
    pub lang: &'a str,
    pub pages: usize,
}

impl Walk<'_> {
    /// Checks the page now shown; `what` names it in failures and screenshots.
    pub(crate) async fn check(&mut self, what: &str) {
        self.pages += 1;
        // Every form of the story is accepted: a refusal (an error page, a summary of refused
        // fields, a message beside one) stops the story where it happened.
        let page = html(self.c).await;
        for refused in [
            "class=\"error-box\"",
            "id=\"error-summary\"",
            "class=\"field-error\"",
        ] {
            assert!(
                !page.contains(refused),
                "{} {what}: refused ({refused}): {}",
                self.lang,
                &page[page.find("<main").unwrap_or(0)..]
            );
        }
        check_accessibility(self.c, self.axe, &format!("{} {what}", self.lang)).await;
        // On a phone the page never scrolls sideways (tables scroll within themselves).
        let wider = self
            .c
            .execute(
                "return document.documentElement.scrollWidth - document.documentElement.clientWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert!(
            wider.as_i64().unwrap_or(0) <= 0,
            "{} {what}: {wider} px wider than the screen",
            self.lang
        );
        screenshot(
            self.c,
            &format!("story-{}-{:02}-{what}", self.lang, self.pages),
        )
        .await;
    }

    pub(crate) async fn follow(&mut self, css: &str, what: &str) {
        submit(self.c, css).await;
        self.check(what).await;
    }

    pub(crate) async fn sign_in(&mut self, email: &str) {
        fill(self.c, "#email", email).await;
        fill(self.c, "#password", PASSWORD).await;
        submit(self.c, "form[action='/login'] button[type=submit]").await;
        wait_path(self.c, "home", |p| p == "/home").await;
        // Each colleague reads the pages in the story's language: chosen once in the header.
        let lang = self.lang;
        if !html(self.c)
            .await
            .contains(&format!("<html lang=\"{lang}\""))
        {
            submit(self.c, &format!("form.lang button[value={lang}]")).await;
        }
        self.check("home").await;
    }

    pub(crate) async fn sign_out(&mut self) {
        submit(self.c, "form[action='/logout'] button[type=submit]").await;
        wait_path(self.c, "sign-in", |p| p == "/login").await;
    }

    /// Moves the case shown through its lifecycle with the form for `to`.
    pub(crate) async fn move_to(&mut self, to: &str) {
        if to == "closed" {
            select(self.c, "#outcome", "completed").await;
        }
        fill(
            self.c,
            &format!("#reason-{to}"),
            "volgens plan / comme prévu",
        )
        .await;
        submit(
            self.c,
            &format!("form.transition:has(input[name=to][value={to}]) button[type=submit]"),
        )
        .await;
        self.check(&format!("moved-{to}")).await;
    }

    pub(crate) async fn case_link(&mut self, page: &str) {
        let case = case_path(self.c).await;
        self.follow(&format!("a[href='{case}/{page}']"), page).await;
    }

    pub(crate) async fn back_to_case(&mut self) {
        let case = case_path(self.c).await;
        self.follow(&format!("main a[href='{case}']"), "case").await;
    }
}

/// The case's own address, from the page shown (read, never typed).
pub(crate) async fn case_path(c: &Client) -> String {
    let path = c.current_url().await.unwrap().path().to_string();
    path.split('/').take(3).collect::<Vec<_>>().join("/")
}

async fn miftari_story(lang: &str, width: u32) {
    let s = TestServer::start().await;
    let pm = s
        .account("nadia@x.org", Role::ProgrammeManager, None, None)
        .await;
    s.app
        .create_partner_org(&pm, "iom-xk", "IOM Kosovo", "iom", &["XK".into()])
        .await
        .unwrap();
    s.account(
        "sara@poelkapelle.example",
        Role::Counsellor,
        Some("poelkapelle"),
        None,
    )
    .await;
    s.account("jan@amaar.example", Role::MedicalAdvisor, None, None)
        .await;
    s.account(
        "besa@iom.example",
        Role::PartnerCaseworker,
        None,
        Some("iom-xk"),
    )
    .await;
    let today = s.app.today();
    let typed = |d: time::Date| {
        let sep = if lang == "nl" { '-' } else { '/' };
        format!(
            "{:02}{sep}{:02}{sep}{}",
            d.day(),
            u8::from(d.month()),
            d.year()
        )
    };
    let axe = axe_source();
    let (_driver, c) = start_browser().await;
    c.set_window_size(width, 1000).await.unwrap();
    let mut w = Walk {
        c: &c,
        axe: &axe,
        lang,
        pages: 0,
    };

    // The counsellor chooses the language on the sign-in page and signs in.
    c.goto(&s.url("/login")).await.unwrap();
    submit(&c, &format!("form.lang button[value={lang}]")).await;
    w.check("sign-in").await;
    w.sign_in("sara@poelkapelle.example").await;

    // Registration: the Miftari family, dates typed as the page writes them.
    w.follow("a[href='/cases/new']", "new-household").await;
    select(&c, "#destination_country", "XK").await;
    fill(&c, "#destination_place", "Ferizaj").await;
    fill(&c, "#location_name", "Poelkapelle").await;
    // Date fields are the browser's date picker; birth dates are typed as the page writes them.
    date(&c, "#application_date", today - time::Duration::days(30)).await;
    date(&c, "#planned_departure_date", today).await;
    let members = [
        ("principal", "Agron", "12-03-1985", "male"),
        ("partner", "Shqipe", "02-07-1988", "female"),
        ("child", "Dea", "21-09-2013", "female"),
        ("child", "Liridon", "08-05-2017", "male"),
        ("child", "Arta", "15-02-2021", "female"),
    ];
    for (i, (rel, given, birth, sex)) in members.iter().enumerate() {
        if i > 0 {
            submit(&c, "button[value=add_member]").await;
        }
        select(&c, &format!("#m{i}-rel"), rel).await;
        fill(&c, &format!("#m{i}-family"), "Miftari").await;
        fill(&c, &format!("#m{i}-given"), given).await;
        fill(
            &c,
            &format!("#m{i}-birth"),
            &birth.replace('-', if lang == "nl" { "-" } else { "/" }),
        )
        .await;
        select(&c, &format!("#m{i}-sex"), sex).await;
        select(&c, &format!("#m{i}-nat"), "XK").await;
        select(&c, &format!("#m{i}-lang"), "sq").await;
    }
    submit(&c, "button[value=save]").await;
    wait_path(&c, "the case page", |p| {
        p.starts_with("/cases/") && p != "/cases/new" && p != "/cases"
    })
    .await;
    w.check("case").await;
    let page = html(&c).await;
    for shown in [
        typed(today - time::Duration::days(30)),
        typed(today),
        "08-05-2017".replace('-', if lang == "nl" { "-" } else { "/" }),
    ] {
        assert!(page.contains(&shown), "{lang}: the case shows {shown}");
    }

    // Assessment: Liridon's complex medical file, then the case is assessed.
    w.case_link("entitlement").await;
    pick(&c, "#v-person", "Liridon").await;
    select(&c, "#v-kind", "complex_medical").await;
    date(&c, "#v-date", today).await;
    fill(&c, "#v-source", "Opvangcentrum Poelkapelle").await;
    w.follow(
        "form[action$='/vulnerabilities'] button[type=submit]",
        "vulnerability",
    )
    .await;
    w.back_to_case().await;
    w.move_to("assessed").await;

    // The children: a best-interests assessment for each before any plan is approved.
    w.case_link("children").await;
    for child in ["Dea", "Liridon", "Arta"] {
        pick(&c, "#bi-person", child).await;
        fill(&c, "#bi-by", "Sara Claes").await;
        click(&c, "#bi-parents").await;
        fill(&c, "#bi-names", "Agron, Shqipe").await;
        fill(
            &c,
            "#bi-summary",
            "Terugkeer met het gezin / retour en famille",
        )
        .await;
        fill(
            &c,
            "#bi-conclusion",
            "In het belang van het kind / dans l'intérêt de l'enfant",
        )
        .await;
        w.follow("#bi-submit", "best-interests").await;
    }

    // Sharing with IOM Kosovo: the principal's consent, then the assignment.
    w.back_to_case().await;
    w.case_link("sharing").await;
    pick(&c, "#c-person", "Agron").await;
    select(&c, "#c-purpose", "partner_transfer").await;
    select(&c, "#c-partner", "iom-xk").await;
    date(&c, "#c-given", today).await;
    w.follow("#consent-form button[type=submit]", "consent")
        .await;
    select(&c, "#a-partner", "iom-xk").await;
    w.follow("#assign-form button[type=submit]", "assigned")
        .await;

    // The plan: housing and administrative support, amounts as the page writes them.
    w.back_to_case().await;
    w.case_link("plan").await;
    for (category, description, amount) in [
        ("housing", "Huur eerste zes maanden / loyer", "1.200,00"),
        ("administrative_support", "Documenten / documents", "100"),
    ] {
        select(&c, "#ln-category", category).await;
        fill(&c, "#ln-description", description).await;
        fill(&c, "#ln-provider", "IOM Prishtinë").await;
        fill(&c, "#ln-amount", amount).await;
        w.follow("#line-form button[type=submit]", "line").await;
    }
    assert!(html(&c).await.contains("€ 1.200,00"), "the amount as typed");
    w.follow(
        "#plan-submit button[type=submit], button#plan-submit",
        "submitted",
    )
    .await;
    w.sign_out().await;

    // The medical advisor prices Liridon's needs from their queue.
    w.sign_in("jan@amaar.example").await;
    w.follow(
        "section[aria-labelledby='q-medical-to-price-h'] a[href^='/cases/']",
        "case-medical",
    )
    .await;
    w.case_link("entitlement").await;
    pick(&c, "#m-person", "Liridon").await;
    fill(&c, "#m-label", "Controle kinderarts / pédiatre").await;
    select(&c, "#m-frequency", "monthly").await;
    fill(&c, "#m-amount", "40").await;
    w.follow(
        "form[action$='/medical-needs'] button[type=submit]",
        "medical-need",
    )
    .await;
    w.sign_out().await;

    // The programme manager approves the plan from their queue.
    w.sign_in("nadia@x.org").await;
    w.follow(
        "section[aria-labelledby='q-plans-to-approve-h'] a[href^='/cases/']",
        "case-manager",
    )
    .await;
    w.case_link("plan").await;
    w.follow(
        "#plan-approve button[type=submit], button#plan-approve",
        "approved",
    )
    .await;
    w.sign_out().await;

    // The counsellor books the departure and confirms it on its day.
    w.sign_in("sara@poelkapelle.example").await;
    w.follow(
        "section[aria-labelledby='q-status-plan_approved-h'] a[href^='/cases/'], main a[href^='/cases/']",
        "case-booking",
    )
    .await;
    date(&c, "#booking-date", today).await;
    select(&c, "#transport", "plane").await;
    select(&c, "#travel-document", "valid").await;
    w.move_to("departure_booked").await;
    w.move_to("departed").await;
    w.sign_out().await;

    // The IOM caseworker confirms the arrival from their queue and records a payment.
    w.sign_in("besa@iom.example").await;
    w.follow(
        "section[aria-labelledby='q-arrivals-to-confirm-h'] a[href^='/cases/']",
        "case-partner",
    )
    .await;
    w.case_link("delivery").await;
    date(&c, "#ar-date", today).await;
    w.follow("#arrival-form button[type=submit]", "arrived")
        .await;
    pick(&c, "#sp-line", "Huur").await;
    date(&c, "#sp-date", today).await;
    fill(&c, "#sp-amount", "1.200,00").await;
    select(&c, "#sp-currency", "EUR").await;
    fill(&c, "#sp-vendor", "Landlord Ferizaj").await;
    let proof = tempfile::Builder::new().suffix(".pdf").tempfile().unwrap();
    std::fs::write(proof.path(), b"%PDF-1.4\n% receipt\n").unwrap();
    c.find(Locator::Css("#sp-proof"))
        .await
        .unwrap()
        .send_keys(&proof.path().display().to_string())
        .await
        .unwrap();
    w.follow("#spending-form button[type=submit]", "payment")
        .await;
    fill(&c, "#report-comment", "Gezin gehuisvest / famille logée").await;
    if c.find(Locator::Css("#confirm-open")).await.is_ok() {
        click(&c, "#confirm-open").await;
    }
    w.follow(
        "form[action$='/final-report'] button[type=submit]",
        "final-report",
    )
    .await;
    w.sign_out().await;

    // The counsellor follows the reintegration to its close.
    w.sign_in("sara@poelkapelle.example").await;
    w.follow("main a[href^='/cases/']", "case-closing").await;
    for to in ["in_reintegration", "monitoring", "closed"] {
        w.move_to(to).await;
    }
    let page = html(&c).await;
    let closed = if lang == "nl" {
        "Afgesloten"
    } else {
        "Clôturé"
    };
    assert!(page.contains(closed), "the case is closed: {page}");
    assert!(w.pages > 30, "{} pages checked", w.pages);
    s.stop().await;
}

#[tokio::test]
async fn the_miftari_story_from_registration_to_closing_in_dutch_by_clicks_only() {
    miftari_story("nl", 1280).await;
}

#[tokio::test]
async fn the_miftari_story_from_registration_to_closing_in_french_at_phone_width() {
    miftari_story("fr", 390).await;
}
