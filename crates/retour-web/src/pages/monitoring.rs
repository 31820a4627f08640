//! After return: the follow-up schedule, the scores over time (chart and table), the visits,
//! and the form that records a visit with its survey, generated from the instrument.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Form;
use retour_app::monitoring::{decimal_of, MonitoringView, StoredScores};
use retour_domain::instrument::{Indicator, Instrument};
use retour_domain::monitoring::{FollowUpState, VisitInput, VisitMode};
use rust_decimal::Decimal;

use crate::ctx::Signed;
use crate::error::PageError;
use crate::layout::{FieldErrors, Layout};
use crate::pages::{after_form, parse_id};
use crate::AppState;

#[derive(Template, WebTemplate)]
#[template(path = "monitoring.html")]
pub struct MonitoringPage {
    l: Layout,
    m: MonitoringView,
    errors: FieldErrors,
    /// What was typed, shown again when the form is refused.
    form: BTreeMap<String, String>,
    today: String,
}

/// One point series of the chart.
pub struct Series {
    pub label: String,
    pub points: String,
    pub class: &'static str,
    pub dots: Vec<(u32, u32)>,
}

const CHART_W: u32 = 600;
const CHART_H: u32 = 220;
const PAD_X: u32 = 40;
const PAD_Y: u32 = 20;

impl MonitoringPage {
    fn instrument(&self) -> Option<&Instrument> {
        self.m.chart_instrument().map(|i| i.as_ref())
    }

    fn indicators(&self) -> Vec<&Indicator> {
        self.instrument()
            .map(|i| i.indicators().iter().collect())
            .unwrap_or_default()
    }

    fn question(&self, i: &Indicator) -> String {
        i.question.get(self.l.code()).to_string()
    }

    fn dimension_label(&self, code: &str) -> String {
        self.instrument()
            .and_then(|i| i.dimensions().iter().find(|d| d.code == code))
            .map(|d| d.label.get(self.l.code()).to_string())
            .unwrap_or_else(|| code.to_string())
    }

    fn dimensions(&self) -> Vec<(String, String)> {
        self.instrument()
            .map(|i| {
                i.dimensions()
                    .iter()
                    .map(|d| (d.code.clone(), d.label.get(self.l.code()).to_string()))
                    .collect()
            })
            .unwrap_or_default()
    }

    fn provisional(&self) -> bool {
        self.instrument().is_some_and(|i| i.provisional())
    }

    fn followup_name(&self, code: &Option<String>) -> String {
        match code {
            Some(c) => self.l.label("followup", c),
            None => self.l.t("followup-other"),
        }
    }

    fn state(&self, s: &FollowUpState) -> String {
        self.l.label("followup-state", s)
    }

    fn modes(&self) -> &'static [VisitMode] {
        VisitMode::ALL
    }

    fn typed(&self, field: &str) -> String {
        self.form.get(field).cloned().unwrap_or_default()
    }

    fn is_typed(&self, field: &str, value: &str) -> bool {
        self.form.get(field).is_some_and(|v| v == value)
    }

    /// What a refused field is, for the error summary: the question with its number, or the
    /// field's label.
    fn field_label(&self, field: &str) -> String {
        if let Some(code) = field.strip_prefix("answers.") {
            return self
                .indicators()
                .iter()
                .position(|i| i.code == code)
                .map(|n| format!("{}. {}", n + 1, self.question(self.indicators()[n])))
                .unwrap_or_else(|| self.l.t("survey-title"));
        }
        let key = match field {
            "followup" => "field-followup",
            "visited_on" => "field-visited-on",
            "mode" => "field-visit-mode",
            "met" => "field-met",
            "observed" => "field-observed",
            "services_in_progress" => "field-services-in-progress",
            _ => return String::new(),
        };
        self.l.t(key)
    }

    fn summary_line(&self, field: &str, message: &str) -> String {
        let label = self.field_label(field);
        if label.is_empty() {
            return message.to_string();
        }
        self.l.lang.t_args(
            "error-field",
            &[("field", label), ("message", message.to_string())],
        )
    }

    /// An indicator's answer error, by its field.
    fn answer_error(&self, code: &str) -> Option<&String> {
        self.errors.get(&format!("answers.{code}"))
    }

    fn score(&self, fraction: &Option<String>) -> String {
        fraction
            .as_deref()
            .and_then(|f| decimal_of(f, 2))
            .map(|d| self.l.lang.decimal(d, 2))
            .unwrap_or_else(|| "–".into())
    }

    fn dim_score(&self, s: &StoredScores, code: &str) -> String {
        self.score(&s.dimension(code).and_then(|d| d.score.clone()))
    }

    fn band(&self, b: &Option<retour_domain::instrument::Band>) -> String {
        b.map(|b| self.l.label("band", b)).unwrap_or_default()
    }

    fn chart_height(&self) -> u32 {
        CHART_H
    }
    fn chart_width(&self) -> u32 {
        CHART_W
    }
    fn y_of(&self, v: Decimal) -> u32 {
        let inner = Decimal::from(CHART_H - 2 * PAD_Y);
        let y = Decimal::from(CHART_H - PAD_Y) - (v * inner);
        y.round().try_into().unwrap_or(PAD_Y)
    }
    /// Grid lines at 0, 0.5 and 1 with their labels.
    fn grid(&self) -> Vec<(u32, String)> {
        [Decimal::ZERO, Decimal::new(5, 1), Decimal::ONE]
            .into_iter()
            .map(|v| (self.y_of(v), self.l.lang.decimal(v, 1)))
            .collect()
    }
    fn x_of(&self, i: usize) -> u32 {
        let n = self.m.surveys.len().max(1);
        if n == 1 {
            return CHART_W / 2;
        }
        PAD_X + (i as u32) * (CHART_W - 2 * PAD_X) / (n as u32 - 1)
    }
    /// Labels of the x axis: the follow-up and its day.
    fn x_labels(&self) -> Vec<(u32, String)> {
        self.m
            .surveys
            .iter()
            .enumerate()
            .map(|(i, s)| (self.x_of(i), self.l.date(s.answered_on)))
            .collect()
    }

    /// The composite and each dimension as a polyline over the surveys, in answer order.
    fn series(&self) -> Vec<Series> {
        let mut out = Vec::new();
        let mut line =
            |label: String, class: &'static str, pick: &dyn Fn(&StoredScores) -> Option<String>| {
                let dots: Vec<(u32, u32)> = self
                    .m
                    .surveys
                    .iter()
                    .enumerate()
                    .filter_map(|(i, s)| {
                        pick(&s.scores)
                            .and_then(|f| decimal_of(&f, 4))
                            .map(|d| (self.x_of(i), self.y_of(d)))
                    })
                    .collect();
                let points = dots
                    .iter()
                    .map(|(x, y)| format!("{x},{y}"))
                    .collect::<Vec<_>>()
                    .join(" ");
                out.push(Series {
                    label,
                    points,
                    class,
                    dots,
                });
            };
        line(self.l.t("survey-composite"), "s-composite", &|s| {
            s.composite.clone()
        });
        for (n, (code, label)) in self.dimensions().into_iter().enumerate() {
            let class = ["s-dim1", "s-dim2", "s-dim3"][n % 3];
            line(label, class, &move |s| {
                s.dimension(&code).and_then(|d| d.score.clone())
            });
        }
        out
    }

    fn chart_summary(&self) -> String {
        self.l
            .ta("survey-chart-summary", "count", self.m.surveys.len())
    }

    fn outcome_label(&self) -> Option<String> {
        self.m
            .outcome
            .as_ref()
            .map(|o| self.l.label("closing-outcome", o.outcome))
    }
}

async fn monitoring_page(
    state: &AppState,
    s: &Signed,
    id: uuid::Uuid,
    errors: FieldErrors,
    form: BTreeMap<String, String>,
) -> Result<MonitoringPage, PageError> {
    let m = state
        .app
        .monitoring(&s.session.actor, id)
        .await
        .map_err(|e| PageError::app(e, s.lang))?;
    Ok(MonitoringPage {
        l: s.layout(),
        m,
        errors,
        form,
        today: state.app.today().to_string(),
    })
}

pub async fn show(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
) -> Result<MonitoringPage, PageError> {
    let id = parse_id(&id, s.lang)?;
    monitoring_page(&state, &s, id, FieldErrors::default(), BTreeMap::new()).await
}

/// Records a visit; the survey's answers come as `answers.<indicator>` fields.
pub async fn record(
    State(state): State<AppState>,
    s: Signed,
    Path(id): Path<String>,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let id = parse_id(&id, s.lang)?;
    let form: BTreeMap<String, String> = fields.into_iter().filter(|(k, _)| k != "_csrf").collect();
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let input = VisitInput {
        followup: get("followup"),
        visited_on: get("visited_on"),
        mode: get("mode"),
        met: get("met"),
        observed: get("observed"),
        services_in_progress: get("services_in_progress"),
    };
    let answers: BTreeMap<String, String> = form
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("answers.")
                .map(|c| (c.to_string(), v.clone()))
        })
        .collect();
    let r = state
        .app
        .record_followup(&s.session.actor, id, &input, &answers)
        .await
        .map(|_| ());
    after_form(
        &s,
        r,
        format!("/cases/{id}/monitoring#visits-h"),
        "error-followup-recorded",
        |e| monitoring_page(&state, &s, id, e, form.clone()),
    )
    .await
}
