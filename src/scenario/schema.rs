//! The schema: every key a scenario file holds, declared once, with its kind, valid range, unit
//! and meaning.
//!
//! The reader validates each table against these declarations (`reader.rs`) and fills the typed
//! structs of this module's parent from the values it validated (`tables.rs`); `list --keys`
//! lists them and `explain KEY` explains one. A new parameter is declared here, in the order
//! the reader reads it, and given a field of the same name in its struct.
//!
//! ```
//! use dialogue_wargame::scenario::schema::{self, Kind};
//! let key = schema::find("beijing.sensitivity").unwrap();
//! assert_eq!(key.kind, Kind::Number { lo: 0.0, hi: 100.0 });
//! assert!(schema::keys().iter().any(|k| k.key == "design.ID.authority"));
//! ```

use std::fmt;

use super::{Area, InjectKind, Pace, MAX_BUILDUP_MONTHS, MAX_REPLICATIONS};
use crate::metric::{self, Metric};

/// What a key holds, with its valid range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Kind {
    /// A number in `[lo, hi]` (either end may be infinite).
    Number {
        /// Lowest valid value.
        lo: f64,
        /// Highest valid value.
        hi: f64,
    },
    /// A probability or a share: a number in [0, 1].
    Prob,
    /// A fixed number or a distribution (`{ dist = "triangular", ... }`) whose values lie in
    /// `[lo, hi]`; drawn once per replication.
    Dist {
        /// Lowest valid value.
        lo: f64,
        /// Highest valid value.
        hi: f64,
    },
    /// A whole number in `[lo, hi]`.
    Int {
        /// Lowest valid value.
        lo: u64,
        /// Highest valid value.
        hi: u64,
    },
    /// `true` or `false`.
    Bool,
    /// One of these strings.
    Choice(&'static [&'static str]),
    /// A string.
    Text,
    /// A list of issue areas: an agenda.
    Areas,
    /// A sub-table (`[beijing.area_weight]`) with these keys.
    Table(&'static Table),
    /// The escalation ladder: `[[beijing.rung]]` tables with these keys, mildest first.
    Rungs(&'static Table),
}

/// The range as the reader's messages write it: `in [0, 1]`, `>= 0`, `<= 1` or `finite`.
pub fn range_text(lo: f64, hi: f64) -> String {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => format!("in [{lo}, {hi}]"),
        (true, false) => format!(">= {lo}"),
        (false, true) => format!("<= {hi}"),
        (false, false) => "finite".to_string(),
    }
}

/// A bound for reading at a glance: `1e-9` and `1e6` rather than `0.000000001` and `1000000`.
fn compact(x: f64) -> String {
    if x != 0.0 && x.is_finite() && (x.abs() < 1e-3 || x.abs() >= 1e6) {
        format!("{x:e}")
    } else {
        x.to_string()
    }
}

/// [`range_text`] with [`compact`] bounds.
fn compact_range(lo: f64, hi: f64) -> String {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => format!("in [{}, {}]", compact(lo), compact(hi)),
        _ => range_text(lo, hi),
    }
}

impl fmt::Display for Kind {
    /// `number in [0, 100]`, `distribution in [0, 3650]`, `japan-led or joint`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Kind::Number { lo, hi } if !lo.is_finite() && !hi.is_finite() => f.write_str("number"),
            Kind::Number { lo, hi } => write!(f, "number {}", compact_range(lo, hi)),
            Kind::Prob => f.write_str("number in [0, 1]"),
            Kind::Dist { lo, hi } => write!(f, "distribution {}", compact_range(lo, hi)),
            // The seed's bound, 2^63 - 1, is no bound a reader needs.
            Kind::Int { lo, hi } if hi >= u64::MAX >> 1 => write!(f, "whole number >= {lo}"),
            Kind::Int { lo, hi } => write!(f, "whole number in [{lo}, {}]", compact(hi as f64)),
            Kind::Bool => f.write_str("true or false"),
            Kind::Choice(allowed) => f.write_str(&allowed.join(" or ")),
            Kind::Text => f.write_str("text"),
            Kind::Areas => f.write_str("list of issue areas"),
            Kind::Table(_) => f.write_str("table"),
            Kind::Rungs(_) => f.write_str("list of rungs"),
        }
    }
}

/// One key of a table.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Param {
    /// The key within its table, e.g. `sensitivity` in `[beijing]`.
    pub key: &'static str,
    /// What it holds and its valid range.
    pub kind: Kind,
    /// Its unit, short (`months`, `ECE`, `share`); empty for text and flags.
    pub unit: &'static str,
    /// What it means in the model, in a line.
    pub meaning: &'static str,
    /// Whether a scenario must give it; an optional key that is absent takes a default.
    pub required: bool,
}

/// How a table is written in the file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One `[name]` section.
    Section,
    /// An array of `[[name]]` sections.
    Array,
    /// One optional number per metric (`[thresholds]`), in the metric's range.
    PerMetric,
}

/// One table of the scenario file.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Table {
    /// Its path: `beijing`, `beijing.area_weight`, `beijing.rung`, `design`.
    pub path: &'static str,
    /// How it is written.
    pub shape: Shape,
    /// What it is for.
    pub meaning: &'static str,
    /// Its keys, in the order the reader reads them (empty for [`Shape::PerMetric`]).
    pub params: &'static [Param],
}

impl Table {
    /// The declaration of `key` in this table.
    pub fn param(&self, key: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.key == key)
    }
}

/// Declarations, one a key: `"key" => KIND, "unit", [optional,] "meaning";`, in the order the
/// reader reads them.
macro_rules! params {
    ($($key:literal => $kind:expr, $unit:literal, $($optional:ident,)? $meaning:literal;)*) => {
        &[$(Param {
            key: $key,
            kind: $kind,
            unit: $unit,
            meaning: $meaning,
            required: params!(@required $($optional)?),
        }),*]
    };
    (@required) => {
        true
    };
    (@required optional) => {
        false
    };
}

const fn num(lo: f64, hi: f64) -> Kind {
    Kind::Number { lo, hi }
}

const fn dist(lo: f64, hi: f64) -> Kind {
    Kind::Dist { lo, hi }
}

const fn int(lo: u64, hi: u64) -> Kind {
    Kind::Int { lo, hi }
}

const PROB: Kind = Kind::Prob;
const TEXT: Kind = Kind::Text;
const BOOL: Kind = Kind::Bool;
const AREAS: Kind = Kind::Areas;
const PACE: Kind = Kind::Choice(&[Pace::JapanLed.name(), Pace::Joint.name()]);

/// Largest weight of the composite: scores stay within ±2^20 ([`metric::MAX_ABS_SCORE`]),
/// which the reader also checks for the weights together.
pub const MAX_WEIGHT: f64 = 1e6;

/// `[scenario]`.
pub static SCENARIO: Table = Table {
    path: "scenario",
    shape: Shape::Section,
    meaning: "what the scenario is, its defaults for a run, and the designs it compares against",
    params: params![
        "name" => TEXT, "",
            "short name, used in result directory names";
        "description" => TEXT, "", optional,
            "what the scenario is for";
        "replications" => int(1, MAX_REPLICATIONS), "replications",
            "replications when --replications is not given";
        "seed" => int(0, u64::MAX >> 1), "",
            "master seed when --seed is not given";
        "baseline" => TEXT, "design id",
            "the design the others are compared against";
        "status_quo" => TEXT, "design id", optional,
            "the channel in place today (C4), serving until Tokyo launches a design; default: \
              the baseline";
    ],
};

/// `[timeline]`.
pub static TIMELINE: Table = Table {
    path: "timeline",
    shape: Shape::Section,
    meaning: "the build-up timeline",
    params: params![
        "buildup_months" => dist(1.0, MAX_BUILDUP_MONTHS), "months",
            "from the decision point (month 0) to the crisis, rounded to whole months";
    ],
};

/// `[trust]`.
pub static TRUST: Table = Table {
    path: "trust",
    shape: Shape::Section,
    meaning: "trust between Tokyo and Taipei",
    params: params![
        "initial" => dist(0.0, 1.0), "0-1",
            "trust at month 0";
        "gain_per_agreement" => PROB, "share/MOU",
            "share of the remaining distance to full trust gained per MOU signed (C13, C14)";
        "gain_per_meeting" => PROB, "share/meeting",
            "share of the remaining distance to full trust gained per meeting held";
        "pressure_loss" => PROB, "trust/month",
            "trust lost per month of unagreed delay, under full Taipei pressure and a joint \
              format (C18)";
        "collapse_loss" => PROB, "share",
            "share of trust lost when the channel collapses without an exit clause (C13)";
        "disruption_loss" => PROB, "trust",
            "trust lost in a domestic-politics disruption (C7)";
    ],
};

/// `[agreements]`.
pub static AGREEMENTS: Table = Table {
    path: "agreements",
    shape: Shape::Section,
    meaning: "how meetings turn into agreements (MOUs) and agreements into readiness",
    params: params![
        "base_rate" => PROB, "MOUs/meeting/area",
            "chance a meeting yields an MOU in an area, at full authority, mandate, consistency, \
              trust 0.5 and reference focus (C14)";
        "focus_reference_areas" => num(1.0, Area::ALL.len() as f64), "areas",
            "agenda size at which focus neither helps nor hurts (C15)";
        "focus_elasticity" => num(0.0, 5.0), "elasticity",
            "elasticity of the per-area rate to reference areas / areas on the agenda (C15)";
        "consistency_weight" => PROB, "weight",
            "weight of format consistency in the rate (C14, C17)";
        "depth_per_agreement" => PROB, "readiness/MOU",
            "readiness one MOU signed at full authority adds: 1 - Π(1 - depth × legitimacy)";
        "authority_exponent" => num(0.0, 10.0), "exponent",
            "an MOU's legitimacy is its signatories' authority to this power (F2)";
        "cyber_to_intelligence" => PROB, "share",
            "readiness spill-over from the cyber area to intelligence sharing (C16)";
        "maritime_to_evacuation" => PROB, "share",
            "readiness spill-over from the maritime area to evacuation by sea (C16)";
        "maritime_to_rear_area" => PROB, "share",
            "readiness spill-over from the maritime area to rear-area support (C16)";
    ],
};

/// `[beijing.area_weight]`: one key per issue area, in [`Area::ALL`] order.
pub static AREA_WEIGHT: Table = Table {
    path: "beijing.area_weight",
    shape: Shape::Section,
    meaning: "how much each issue area provokes Beijing, relative to an average area (C15, C16)",
    params: params![
        "intelligence" => num(0.0, 100.0), "weight",
            "how much intelligence sharing provokes Beijing, relative to an average area";
        "evacuation" => num(0.0, 100.0), "weight",
            "how much evacuation planning provokes Beijing, relative to an average area";
        "cyber" => num(0.0, 100.0), "weight",
            "how much cybersecurity provokes Beijing, relative to an average area";
        "maritime" => num(0.0, 100.0), "weight",
            "how much maritime affairs provoke Beijing, relative to an average area";
        "rear-area" => num(0.0, 100.0), "weight",
            "how much rear-area support provokes Beijing, relative to an average area";
    ],
};

/// `[[beijing.rung]]`: one rung of the escalation ladder.
pub static RUNG: Table = Table {
    path: "beijing.rung",
    shape: Shape::Array,
    meaning: "one rung of Beijing's escalation ladder (C9)",
    params: params![
        "name" => TEXT, "",
            "the rung's name, e.g. economic-coercion";
        "threshold" => num(1e-9, 1e9), "irritation",
            "irritation at which Beijing acts on this rung";
        "severity" => num(0.0, 1e5), "weight",
            "weight of one action on this rung; the unit rung's is one ECE (C9, F12-F17)";
    ],
};

/// `[beijing]`.
pub static BEIJING: Table = Table {
    path: "beijing",
    shape: Shape::Section,
    meaning: "Beijing's attention, irritation and escalation ladder",
    params: params![
        "sensitivity" => num(0.0, 100.0), "multiplier",
            "multiplier on every provocation; 0 makes Beijing indifferent";
        "disposition" => dist(0.0, 1.0), "0-1",
            "hawkishness, a world draw; provocations are multiplied by 2 × disposition";
        "notice_intensity" => num(0.0, 100.0), "k",
            "P(notice a meeting) = 1 - exp(-k × (visibility + officialness) / 2)";
        "provocation_per_meeting" => num(0.0, 1e6), "irritation",
            "irritation from one noticed meeting of a fully official design on a reference \
              agenda";
        "mandate_weight" => num(0.0, 100.0), "weight",
            "extra weight of a security mandate in a meeting's provocation (C9)";
        "officialness_exponent" => num(0.0, 10.0), "exponent",
            "exponent on officialness in the provocation (C1, C10)";
        "agreement_provocation" => num(0.0, 1e6), "irritation/MOU",
            "irritation added per noticed MOU, times its area's weight";
        "tacit_discount" => PROB, "share",
            "largest discount the tacit understanding grants a consistent, low-key format (C10, \
              C17)";
        "irritation_decay" => PROB, "share/month",
            "share of irritation that fades each month";
        "act_probability" => PROB, "probability/month",
            "largest monthly probability that Beijing acts; it rises smoothly with irritation";
        "discharge" => PROB, "share",
            "share of irritation released by an action";
        "area_weight" => Kind::Table(&AREA_WEIGHT), "weight",
            "how much each issue area provokes Beijing (C15, C16)";
        "crisis_provocation" => num(0.0, 1e6), "irritation",
            "irritation added at crisis onset if the channel is active and used, times the \
              design's provocation weight (C9)";
        "crisis_half_irritation" => num(1e-9, 1e9), "irritation",
            "crisis irritation at which escalation against Japan is as likely as not";
        "crisis_escalation_steepness" => num(0.0, 20.0), "Hill exponent",
            "how sharply escalation risk rises around crisis_half_irritation";
        "agreed_terms_discount" => PROB, "share",
            "provocation removed when a channel's terms were agreed first (C13, C17)";
        "coercion_unit" => TEXT, "rung name",
            "the rung whose severity is one unit of coercion, an economic-coercion equivalent \
              (ECE)";
        "rung" => Kind::Rungs(&RUNG), "",
            "the escalation ladder, mildest rung first (C9)";
    ],
};

/// `[tokyo]`.
pub static TOKYO: Table = Table {
    path: "tokyo",
    shape: Shape::Section,
    meaning: "Tokyo's launch decision, tolerance, suspension and domestic politics",
    params: params![
        "tolerance" => dist(1e-9, 1e6), "ECE",
            "recent coercion (a decaying memory) above which Tokyo suspends; a world draw (C8, \
              C12)";
        "memory_months" => num(0.1, 1200.0), "months",
            "half-life of Tokyo's memory of coercion";
        "launch_share" => num(0.0, 100.0), "share of tolerance",
            "Tokyo launches a design only if the coercion it expects a year is at most this \
              share of its tolerance (C8, C12)";
        "launch_lag_months" => dist(0.0, MAX_BUILDUP_MONTHS), "months",
            "deliberation before a fully official design is launched, scaled by officialness \
              (C6); a world draw";
        "postpone_sensitivity" => PROB, "probability",
            "probability of postponing a meeting when recent coercion is at tolerance (C8)";
        "pause_months" => dist(0.0, MAX_BUILDUP_MONTHS), "months",
            "how long an agreed pause lasts (F9)";
        "collapse_resume_factor" => num(1.0, 100.0), "×",
            "a collapse (no exit clause) lasts this many times longer than a pause (C13)";
        "resume_fraction" => PROB, "share of tolerance",
            "the channel resumes only when recent coercion is below this share of tolerance";
        "exit_clause_tolerance_factor" => num(0.01, 100.0), "×",
            "tolerance multiplier for suspending a channel with agreed exit terms (C13)";
        "domestic_shock_rate" => num(0.0, 12.0), "per year",
            "domestic political shocks per year (C7)";
        "disruption_months" => num(0.0, MAX_BUILDUP_MONTHS), "months",
            "how long a shock disrupts a design it hits (C7)";
        "transactional_tolerance_factor" => num(0.01, 100.0), "×",
            "tolerance multiplier when Washington is transactional: Tokyo's cover against \
              Beijing (C19); below 1 less cover";
        "transactional_need_factor" => num(0.0, 100.0), "×",
            "launch-share multiplier when Washington is transactional: Tokyo's need for its own \
              channel (C19); above 1 more need";
        "raise_step" => PROB, "0-1", optional,
            "tabletop decision raise-level: officialness and authority added, capped at 1 (§10)";
    ],
};

/// `[taipei]`.
pub static TAIPEI: Table = Table {
    path: "taipei",
    shape: Shape::Section,
    meaning: "Taipei's policy",
    params: params![
        "pressure" => PROB, "0-1",
            "how hard Taipei presses when Tokyo delays: its policy, the same for every design \
              (C18)";
        "japan_led_restraint" => PROB, "share",
            "share of the pressure that a Japan-led format lets through (C18)";
    ],
};

/// `[us]`.
pub static US: Table = Table {
    path: "us",
    shape: Shape::Section,
    meaning: "Washington's posture, intervention and the US-Taiwan channel",
    params: params![
        "p_transactional" => PROB, "probability",
            "probability that Washington is transactional in a replication (C19)";
        "p_intervene_reliable" => PROB, "probability",
            "probability that US forces fight when Washington is reliable (C11)";
        "p_intervene_transactional" => PROB, "probability",
            "probability that US forces fight when Washington is transactional (C19)";
        "relay_share_reliable" => PROB, "share",
            "share of intelligence items reaching Tokyo via the US when Washington is reliable \
              (C12, F9)";
        "relay_share_transactional" => PROB, "share",
            "share of intelligence items reaching Tokyo via the US when Washington is \
              transactional (C19)";
        "relay_latency_hours" => dist(0.0, 1e4), "hours",
            "latency of the US relay";
    ],
};

/// `[crisis]`.
pub static CRISIS: Table = Table {
    path: "crisis",
    shape: Shape::Section,
    meaning: "the crisis: warning, intelligence, evacuation, rear-area support",
    params: params![
        "warning_days" => dist(0.0, 3650.0), "days",
            "strategic warning before onset";
        "post_onset_days" => dist(0.0, 3650.0), "days",
            "how long after onset air and sea routes stay open";
        "intel_items_per_day" => num(0.0, 1000.0), "items/day",
            "intelligence items per day of warning (Poisson; at least one item)";
        "intel_half_life_hours" => num(0.01, 1e5), "hours",
            "half-life of an item's value";
        "liaison_latency_hours" => dist(0.0, 1e4), "hours",
            "latency through a standing liaison (F7)";
        "adhoc_latency_hours" => dist(0.0, 1e4), "hours",
            "latency when the channel must be convened ad hoc (F7)";
        "share_floor" => PROB, "share",
            "share of items passed without an intelligence MOU, at full mandate, legitimacy and \
              trust";
        "nationals" => num(1.0, 1e8), "people",
            "Japanese residents in Taiwan (F1)";
        "visitors" => dist(0.0, 1e8), "people",
            "Japanese short-term visitors present (F1: they \"come on top\")";
        "stay_share" => dist(0.0, 1.0), "share",
            "share of nationals who choose to stay (settled residents, families)";
        "early_departure_per_day" => PROB, "share/day",
            "share of those wishing to leave who leave on their own each day of warning before \
              Tokyo decides";
        "decision_delay_days" => dist(0.0, 3650.0), "days",
            "from warning to Tokyo's evacuation decision";
        "warning_speedup" => PROB, "share",
            "share of the decision delay that full intelligence exchange removes";
        "adhoc_coordination_days" => dist(0.0, 3650.0), "days",
            "to coordinate an organised evacuation ad hoc (F7)";
        "agreed_coordination_days" => dist(0.0, 3650.0), "days",
            "to coordinate an organised evacuation under an agreed NEO arrangement";
        "commercial_seats_per_day" => dist(0.0, 1e8), "seats/day",
            "scheduled seats a day from Taiwan to Japan in normal times (S1)";
        "japanese_seat_share" => dist(0.0, 1.0), "share",
            "share of those seats Japanese nationals get in a general exodus";
        "organised_lift_per_day" => dist(0.0, 1e8), "people/day",
            "chartered lift once coordination is done, with a full NEO arrangement";
        "adhoc_lift_share" => PROB, "share",
            "share of the chartered lift usable without any evacuation arrangement (F3, F7)";
        "sdf_lift_per_day" => dist(0.0, 1e8), "people/day",
            "SDF lift, only with Taipei's consent (F2, F4)";
        "runway_departures_per_day" => dist(0.0, 1e6), "departures/day",
            "departures Japan's organised flights get on Songshan's single runway (F3)";
        "seats_per_departure" => num(0.0, 1e4), "people",
            "people one organised departure carries (F4)";
        "competing_share" => dist(0.0, 1.0), "share",
            "share of lift diverted to competing evacuations, e.g. the Sakishima islands (F5)";
        "consent_base" => PROB, "probability",
            "probability that SDF consent is arranged in time without an agreement (F2)";
        "suspended_agreement_value" => PROB, "share",
            "value of agreements when the channel is halted at crisis onset";
        "rear_area_floor" => PROB, "readiness",
            "rear-area readiness of a mandated, fully legitimate channel without a rear-area MOU";
        "rear_area_value_without_us" => PROB, "share",
            "value of rear-area readiness when US forces do not fight (C11)";
        "trust_exponent" => num(0.0, 10.0), "exponent",
            "exponent on trust in intelligence sharing and rear-area coordination";
    ],
};

/// The tables of the world shared by every design, in the order the reader reads them.
pub static WORLD: [&Table; 8] = [
    &TIMELINE,
    &TRUST,
    &AGREEMENTS,
    &BEIJING,
    &TOKYO,
    &TAIPEI,
    &US,
    &CRISIS,
];

/// `[programme]`: what every design does unless it sets its own.
pub static PROGRAMME: Table = Table {
    path: "programme",
    shape: Shape::Section,
    meaning: "the common programme every design runs unless it sets its own (C5)",
    params: params![
        "cadence_per_year" => num(0.0, 52.0), "meetings/year",
            "how often every design meets unless it sets its own cadence";
        "issue_areas" => AREAS, "areas",
            "the common agenda, drawn from intelligence, evacuation, cyber, maritime, rear-area";
    ],
};

/// `[weights]`: the composite score.
pub static WEIGHTS: Table = Table {
    path: "weights",
    shape: Shape::Section,
    meaning: "weights of the composite score",
    params: params![
        "info_exchange" => num(0.0, MAX_WEIGHT), "points",
            "weight of info_exchange in the composite";
        "evacuation" => num(0.0, MAX_WEIGHT), "points",
            "weight of evacuation in the composite";
        "rear_area" => num(0.0, MAX_WEIGHT), "points",
            "weight of rear_area in the composite";
        "coercion" => num(0.0, MAX_WEIGHT), "points per ECE/year",
            "penalty per economic-coercion equivalent a year of peacetime coercion \
              (coercion_rate)";
        "escalation" => num(0.0, MAX_WEIGHT), "points",
            "penalty for a certain crisis escalation against Japan (crisis_escalation)";
    ],
};

/// `[thresholds]`: one optional key per metric.
pub static THRESHOLDS: Table = Table {
    path: "thresholds",
    shape: Shape::PerMetric,
    meaning: "per-metric thresholds: summary.csv reports the share of replications that meet each",
    params: &[],
};

/// `[[design]]`: a design's identity, its institutional form, and the programme fields it
/// may set instead of the common `[programme]`.
pub static DESIGN: Table = Table {
    path: "design",
    shape: Shape::Array,
    meaning: "a dialogue-channel design: an institutional form, and optionally its own programme",
    params: params![
        "id" => TEXT, "",
            "identifier on the command line and in the CSVs: lowercase letters, digits, '-', \
              '_', '.'";
        "name" => TEXT, "",
            "human-readable name";
        "description" => TEXT, "", optional,
            "what the design is, in a sentence";
        "authority" => PROB, "0-1",
            "capacity of participants to commit their governments (C3, C6, C7, F2)";
        "officialness" => PROB, "0-1",
            "how official the channel looks to Beijing (C1, C9)";
        "security_mandate" => PROB, "0-1",
            "remit to discuss security (C4)";
        "visibility" => PROB, "0-1",
            "publicity of meetings";
        "format_consistency" => PROB, "0-1",
            "fixed format, venue rotation and schedule (C14, C17)";
        "domestic_exposure" => PROB, "0-1",
            "exposure to Japanese domestic politics (C7)";
        "standing_liaison" => BOOL, "",
            "a standing liaison office or hotline (F7)";
        "exit_clause" => BOOL, "",
            "whether both sides agreed when Japan may pause the channel (C13)";
        "pace" => PACE, "",
            "who sets agenda and timetable: Japan alone, or jointly with Taipei (C18)";
        "cadence_per_year" => num(0.0, 52.0), "meetings/year", optional,
            "the design's own cadence, instead of programme.cadence_per_year";
        "issue_areas" => AREAS, "areas", optional,
            "the design's own agenda, instead of programme.issue_areas";
    ],
};

/// `[[inject]]`: one event of the Master Scenario Events List (docs/MODEL.md §10, F20). Each
/// type takes its own keys (the reader refuses the others) and one trigger: `month` or
/// `after_rung`, none for a shortened warning.
pub static INJECT: Table = Table {
    path: "inject",
    shape: Shape::Array,
    meaning:
        "an inject of the Master Scenario Events List: an event the model plays in every run (F20)",
    params: params![
        "id" => TEXT, "",
            "its number or name in the MSEL, unique: letters, digits, '-', '_', '.'";
        "type" => Kind::Choice(&InjectKind::NAMES), "",
            "what happens: live-fire-drill, leak, government-change, us-statement, shortened-warning";
        "text" => TEXT, "", optional,
            "what the facilitator reads out when it happens";
        "expected" => TEXT, "", optional,
            "the player action the inject is meant to prompt (HSEEP, F20), for the hot wash";
        "month" => int(0, MAX_BUILDUP_MONTHS as u64), "month", optional,
            "trigger: at the start of this build-up month (0 = the decision point)";
        "after_rung" => TEXT, "rung", optional,
            "trigger: the month after Beijing first acts on this rung of the ladder or above";
        "coercion" => num(0.0, 1e5), "ECE", optional,
            "live-fire-drill: coercion added to Tokyo's memory of recent coercion (F16, F17)";
        "irritation" => num(0.0, 1e9), "irritation", optional,
            "live-fire-drill: added to Beijing's irritation (F16, F17)";
        "meetings" => num(0.0, 1e3), "meetings", optional,
            "leak: provocation of this many noticed meetings at full visibility (C9, C10)";
        "tolerance_factor" => num(0.01, 100.0), "×", optional,
            "government-change: multiplier on Tokyo's tolerance from then on (C7, C8)";
        "posture" => Kind::Choice(&["reliable", "transactional"]), "", optional,
            "us-statement: Washington's posture from then on (C11, C19)";
        "warning_share" => num(0.01, 1.0), "share", optional,
            "shortened-warning: share of the drawn warning days that remains";
    ],
};

/// The keys each inject type takes, besides `id`, `type`, `text` and its trigger.
pub const INJECT_KEYS: [(&str, &[&str]); 5] = [
    ("live-fire-drill", &["coercion", "irritation"]),
    ("leak", &["meetings"]),
    ("government-change", &["tolerance_factor"]),
    ("us-statement", &["posture"]),
    ("shortened-warning", &["warning_share"]),
];

/// Every table of the file, in the order the reader reads them.
pub static TABLES: [&Table; 14] = [
    &SCENARIO,
    &TIMELINE,
    &TRUST,
    &AGREEMENTS,
    &BEIJING,
    &TOKYO,
    &TAIPEI,
    &US,
    &CRISIS,
    &PROGRAMME,
    &WEIGHTS,
    &THRESHOLDS,
    &DESIGN,
    &INJECT,
];

/// The placeholder for a design id in a listed key: `design.ID.authority`.
pub const DESIGN_ID: &str = "ID";

/// One key as `--set` addresses it, with its declaration.
#[derive(Clone, Debug, PartialEq)]
pub struct Key {
    /// The full key: `beijing.sensitivity`, `design.ID.authority`, `thresholds.evacuation`.
    pub key: String,
    /// The table it belongs to.
    pub table: &'static Table,
    /// What it holds and its valid range.
    pub kind: Kind,
    /// Its unit.
    pub unit: &'static str,
    /// What it means.
    pub meaning: &'static str,
    /// Whether a scenario must give it.
    pub required: bool,
}

impl Key {
    fn of(prefix: &str, table: &'static Table, p: &Param) -> Key {
        Key {
            key: format!("{prefix}.{}", p.key),
            table,
            kind: p.kind,
            unit: p.unit,
            meaning: p.meaning,
            required: p.required,
        }
    }
}

/// Every key `--set` accepts, in the schema's order: `[scenario]`, the world tables (sub-tables
/// where their parent declares them; the ladder as one key, `beijing.rung`), `[programme]`,
/// `[weights]`, `[thresholds]` (one per metric), then each design key as `design.ID.KEY`.
pub fn keys() -> Vec<Key> {
    let mut out = Vec::new();
    for table in TABLES {
        push_keys(table, &mut out);
    }
    out
}

fn push_keys(table: &'static Table, out: &mut Vec<Key>) {
    match table.shape {
        Shape::PerMetric => {
            for m in Metric::ALL {
                let info = m.info();
                let (lo, hi) = metric::valid_range(&info);
                out.push(Key {
                    key: format!("{}.{}", table.path, info.name),
                    table,
                    kind: Kind::Number { lo, hi },
                    unit: info.unit,
                    meaning: info.meaning,
                    required: false,
                });
            }
        }
        Shape::Array => {
            let prefix = format!("{}.{DESIGN_ID}", table.path);
            for p in table.params {
                out.push(Key::of(&prefix, table, p));
            }
        }
        Shape::Section => {
            for p in table.params {
                match p.kind {
                    Kind::Table(sub) => push_keys(sub, out),
                    _ => out.push(Key::of(table.path, table, p)),
                }
            }
        }
    }
}

/// The key with this exact name (`beijing.sensitivity`, `design.ID.pace`).
pub fn find(key: &str) -> Option<Key> {
    keys().into_iter().find(|k| k.key == key)
}

/// The declaration of a design key (`authority`, `pace`, `cadence_per_year`).
pub fn design_param(key: &str) -> Option<&'static Param> {
    DESIGN.param(key)
}

#[cfg(test)]
mod tests {
    use super::super::tree::{self, Node, Value};
    use super::super::BUILTIN;
    use super::*;

    #[test]
    fn area_weights_follow_the_areas_in_order() {
        let keys: Vec<&str> = AREA_WEIGHT.params.iter().map(|p| p.key).collect();
        assert_eq!(keys, Area::names().collect::<Vec<_>>());
    }

    #[test]
    fn keys_are_unique_and_complete() {
        let keys = keys();
        let mut seen = std::collections::HashSet::new();
        for k in &keys {
            assert!(seen.insert(k.key.clone()), "{} declared twice", k.key);
            assert!(!k.meaning.is_empty(), "{}: no meaning", k.key);
            assert!(
                !k.meaning.ends_with('.') && k.meaning.len() <= 120,
                "{}: keep meanings short, without a full stop",
                k.key
            );
        }
        for k in [
            "scenario.seed",
            "beijing.sensitivity",
            "beijing.area_weight.rear-area",
            "beijing.rung",
            "crisis.warning_days",
            "programme.issue_areas",
            "weights.coercion",
            "thresholds.evacuation",
            "thresholds.composite",
            "design.ID.authority",
            "design.ID.cadence_per_year",
        ] {
            assert!(find(k).is_some(), "{k} not listed");
        }
        // Sub-tables are listed by their keys, not as keys themselves.
        assert!(find("beijing.area_weight").is_none());
        assert_eq!(
            find("thresholds.evacuation").map(|k| k.kind),
            Some(Kind::Number { lo: 0.0, hi: 1.0 })
        );
    }

    /// The keys of `node` that `table` does not declare, as full paths.
    fn undeclared(node: &Node, table: &'static Table, path: &str, out: &mut Vec<String>) {
        for e in node.entries().unwrap_or(&[]) {
            let here = format!("{path}.{}", e.key);
            if table.shape == Shape::PerMetric {
                if Metric::from_name(&e.key).is_none() {
                    out.push(here);
                }
                continue;
            }
            match table.param(&e.key).map(|p| p.kind) {
                None => out.push(here),
                Some(Kind::Table(sub)) => undeclared(&e.node, sub, &here, out),
                Some(Kind::Rungs(rung)) => match &e.node.value {
                    Value::Array(items) => {
                        for item in items {
                            undeclared(item, rung, &here, out);
                        }
                    }
                    _ => out.push(here),
                },
                Some(_) => {}
            }
        }
    }

    #[test]
    fn every_key_the_shipped_scenarios_use_is_declared() {
        for (name, text) in BUILTIN {
            let root = tree::parse(text, 0).unwrap_or_else(|e| panic!("{name}: {e:?}"));
            let mut out = Vec::new();
            for e in root.entries().unwrap_or(&[]) {
                let table = TABLES.iter().find(|t| t.path == e.key);
                match (table, &e.node.value) {
                    (Some(t), Value::Array(items)) if t.shape == Shape::Array => {
                        for item in items {
                            undeclared(item, t, &e.key, &mut out);
                        }
                    }
                    // `[[add_design]]` entries are designs.
                    (None, Value::Array(items)) if e.key == "add_design" => {
                        for item in items {
                            undeclared(item, &DESIGN, &e.key, &mut out);
                        }
                    }
                    (Some(t), _) => undeclared(&e.node, t, &e.key, &mut out),
                    (None, _) => out.push(e.key.clone()),
                }
            }
            // `extends` is resolved by the loader before the tables are read.
            out.retain(|k| k != "scenario.extends");
            assert!(out.is_empty(), "{name} uses undeclared keys: {out:?}");
        }
    }

    #[test]
    fn kinds_read_as_the_messages_write_ranges() {
        const INF: f64 = f64::INFINITY;
        assert_eq!(
            Kind::Number { lo: 0.0, hi: 100.0 }.to_string(),
            "number in [0, 100]"
        );
        assert_eq!(Kind::Number { lo: 0.0, hi: INF }.to_string(), "number >= 0");
        assert_eq!(Kind::Number { lo: -INF, hi: INF }.to_string(), "number");
        assert_eq!(
            Kind::Dist {
                lo: 0.0,
                hi: 3650.0
            }
            .to_string(),
            "distribution in [0, 3650]"
        );
        assert_eq!(Kind::Prob.to_string(), "number in [0, 1]");
        assert_eq!(
            Kind::Int {
                lo: 1,
                hi: MAX_REPLICATIONS
            }
            .to_string(),
            "whole number in [1, 1e9]"
        );
        assert_eq!(
            Kind::Int {
                lo: 0,
                hi: u64::MAX >> 1
            }
            .to_string(),
            "whole number >= 0"
        );
        assert_eq!(
            Kind::Number { lo: 1e-9, hi: 1e9 }.to_string(),
            "number in [1e-9, 1e9]"
        );
        assert_eq!(
            design_param("pace").map(|p| p.kind.to_string()),
            Some("japan-led or joint".to_string())
        );
    }
}
