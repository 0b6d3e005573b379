//! Scenarios: the TOML schema, its validation with file:line:key errors, `--set` overrides and
//! the embedded default scenario.
//!
//! A scenario is the world (actors, crisis timeline, distributions) plus the list of
//! dialogue-channel designs to compare. Every field here is documented in `docs/MODEL.md`
//! with the claim or fact it rests on.
//!
//! Reading one goes text → [`tree`] (spanned TOML) → `load.rs` (`extends`, `[[add_design]]`,
//! [`overrides`]) → `tables.rs`, which reads each table's keys as [`schema`] declares them
//! through the typed readers of `reader.rs` and fills the structs below; every problem found
//! becomes a [`Diagnostic`], rendered by `diag.rs` as `FILE:LINE:COL: key: what was wrong`.
//! A new parameter is a row in [`schema`] and a field of the same name here.

mod area;
mod diag;
mod dist;
mod load;
pub mod overrides;
mod reader;
pub mod schema;
mod tables;
pub mod tree;

pub use area::{Area, AreaSet, PerArea};
pub use diag::{printable, Diagnostic, LoadError, Source};
pub use dist::Dist;
pub use load::{load_file, load_named, load_str, names_a_file, Loaded};
pub use overrides::Override;

/// The default scenario, compiled into the binary so `run` works anywhere.
pub const BASELINE_TOML: &str = include_str!("../../scenarios/baseline.toml");

/// The scenarios shipped in `scenarios/`, compiled in so `list` and `extends` work anywhere.
pub const BUILTIN: &[(&str, &str)] = &[
    ("baseline", BASELINE_TOML),
    (
        "transactional-us",
        include_str!("../../scenarios/transactional-us.toml"),
    ),
    (
        "short-warning",
        include_str!("../../scenarios/short-warning.toml"),
    ),
    (
        "grey-zone-quarantine",
        include_str!("../../scenarios/grey-zone-quarantine.toml"),
    ),
    (
        "hypersensitive-beijing",
        include_str!("../../scenarios/hypersensitive-beijing.toml"),
    ),
];

/// Largest number of designs in one scenario (ties in "probability of being best" are shared
/// exactly in units of 1/lcm(1..=n), which must fit the counters).
pub const MAX_DESIGNS: usize = 64;
/// Largest number of replications one run may ask for.
pub const MAX_REPLICATIONS: u64 = 1_000_000_000;
/// Longest build-up, in months (50 years).
pub const MAX_BUILDUP_MONTHS: f64 = 600.0;

/// A validated scenario.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Short name, used in result directory names.
    pub name: String,
    /// What the scenario is for.
    pub description: String,
    /// Replications when `--replications` is not given.
    pub replications: u64,
    /// Master seed when `--seed` is not given.
    pub seed: u64,
    /// Id of the design the others are compared against.
    pub baseline: String,
    /// Id of the channel in place today (C4). Every other design is an upgrade of it that Tokyo
    /// may or may not launch (docs/MODEL.md §5); until it does, this channel serves.
    pub status_quo: String,
    /// Everything that is not a design.
    pub world: WorldParams,
    /// The common programme every design runs unless it sets its own.
    pub programme: Programme,
    /// Weights of the composite score.
    pub weights: Weights,
    /// Per-metric thresholds for the "probability of meeting it" columns.
    pub thresholds: Vec<(String, f64)>,
    /// The designs compared, in file order.
    pub designs: Vec<Design>,
}

/// The world shared by every design in a replication.
#[derive(Clone, Debug)]
pub struct WorldParams {
    /// Build-up timeline.
    pub timeline: Timeline,
    /// Trust between Tokyo and Taipei.
    pub trust: TrustParams,
    /// How meetings turn into agreements.
    pub agreements: AgreementParams,
    /// Beijing's attention and escalation ladder.
    pub beijing: BeijingParams,
    /// Tokyo's launch decision, tolerance, suspension and domestic politics.
    pub tokyo: TokyoParams,
    /// Taipei's policy.
    pub taipei: TaipeiParams,
    /// Washington's posture, intervention and the US–Taiwan channel.
    pub us: UsParams,
    /// The crisis: warning, intelligence, evacuation, rear-area support.
    pub crisis: CrisisParams,
    /// The scenario's `[[inject]]` events (a Master Scenario Events List, F20), in file order;
    /// empty in the shipped scenarios. Every run of the scenario plays them (docs/MODEL.md §10).
    pub injects: Vec<Inject>,
}

/// `tokyo.raise_step` when a scenario does not set it: a quarter of the scale, about one step
/// from track 1.5 to a parliamentary format.
pub const DEFAULT_RAISE_STEP: f64 = 0.25;

/// Most `[[inject]]` entries in one scenario (the model keeps which have fired in one word).
pub const MAX_INJECTS: usize = 64;

/// One `[[inject]]`: an event the model understands, at a month of the build-up, after a step
/// of Beijing's ladder, or at the warning (docs/MODEL.md §10, F20).
#[derive(Clone, Debug, PartialEq)]
pub struct Inject {
    /// Its number or name in the MSEL (`"3"`, `"leak-of-meeting"`).
    pub id: String,
    /// What the facilitator reads out when it happens.
    pub text: String,
    /// The player action it is meant to prompt (HSEEP, F20); asked about in the hot wash.
    pub expected: String,
    /// When it happens.
    pub at: InjectTime,
    /// What it does to the model.
    pub kind: InjectKind,
}

/// When an inject happens.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InjectTime {
    /// At the start of this build-up month (0 = the decision point); never if the crisis comes
    /// first.
    Month(u32),
    /// At the start of the month after Beijing first acts on this rung (0-based) or above.
    AfterRung(usize),
    /// At the strategic warning (the crisis's start).
    Warning,
}

/// What an inject does, as changes to the state the model's mechanisms read (§10).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InjectKind {
    /// Beijing holds a live-fire drill (F16, F17): `coercion` ECE join Tokyo's memory of
    /// recent coercion (postponements, suspension) and `irritation` Beijing's irritation (its
    /// chance of acting against the channel in the months after).
    LiveFireDrill {
        /// ECE added to Tokyo's memory of recent coercion.
        coercion: f64,
        /// Added to Beijing's irritation.
        irritation: f64,
    },
    /// A meeting of the channel leaks (C9, C10): Beijing takes offence as at `meetings` noticed
    /// meetings of the form in operation at full visibility (no tacit discount).
    Leak {
        /// Meetings' worth of provocation.
        meetings: f64,
    },
    /// A new government in Tokyo (C7, C8): its tolerance of coercion is multiplied by
    /// `tolerance_factor` from then on.
    GovernmentChange {
        /// Multiplier on Tokyo's tolerance.
        tolerance_factor: f64,
    },
    /// Washington states its posture (C11, C19): from then on the world is played as if the US
    /// were transactional (or reliable): Tokyo's cover (tolerance), the US relay share and the
    /// chance that US forces fight.
    UsStatement {
        /// True for a transactional posture, false for a reliable one.
        transactional: bool,
    },
    /// The warning is shorter than the world drew: its days, and the intelligence items
    /// and evacuation window that come with them, are cut to `warning_share`.
    ShortenedWarning {
        /// Share of the drawn warning days that remains.
        warning_share: f64,
    },
}

impl InjectKind {
    /// The names used in scenario files, in the schema's order.
    pub const NAMES: [&'static str; 5] = [
        "live-fire-drill",
        "leak",
        "government-change",
        "us-statement",
        "shortened-warning",
    ];

    /// The name used in scenario files.
    pub fn name(&self) -> &'static str {
        match self {
            InjectKind::LiveFireDrill { .. } => Self::NAMES[0],
            InjectKind::Leak { .. } => Self::NAMES[1],
            InjectKind::GovernmentChange { .. } => Self::NAMES[2],
            InjectKind::UsStatement { .. } => Self::NAMES[3],
            InjectKind::ShortenedWarning { .. } => Self::NAMES[4],
        }
    }
}

/// `[timeline]`.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// Months from the decision point (month 0) to the crisis (rounded to whole months).
    pub buildup_months: Dist,
}

/// `[trust]`.
#[derive(Clone, Debug)]
pub struct TrustParams {
    /// Trust at month 0, in [0, 1].
    pub initial: Dist,
    /// Share of the remaining distance to full trust gained per agreement signed (C13, C14).
    pub gain_per_agreement: f64,
    /// Share of the remaining distance gained per meeting held.
    pub gain_per_meeting: f64,
    /// Trust lost per month of unagreed delay (channel halted, or a postponed meeting still
    /// owed) under full Taipei pressure and a joint format (C18).
    pub pressure_loss: f64,
    /// Share of trust lost when the channel collapses without an exit clause (C13).
    pub collapse_loss: f64,
    /// Trust lost in a domestic-politics disruption (C7).
    pub disruption_loss: f64,
}

/// `[agreements]`.
#[derive(Clone, Debug)]
pub struct AgreementParams {
    /// Probability that one meeting yields an MOU in one issue area, at full authority, mandate,
    /// trust 0.5, a fully consistent format and the reference focus (C14).
    pub base_rate: f64,
    /// Number of issue areas at which focus neither helps nor hurts (C15).
    pub focus_reference_areas: f64,
    /// Elasticity of the per-area rate to `focus_reference_areas / areas` (C15).
    pub focus_elasticity: f64,
    /// Weight of format consistency in the rate (C14, C17).
    pub consistency_weight: f64,
    /// Readiness one MOU signed at full authority adds: readiness = 1 - Π(1 - depth × legitimacy).
    pub depth_per_agreement: f64,
    /// Legitimacy of an MOU = authority^exponent of the channel that signed it (F2).
    pub authority_exponent: f64,
    /// Readiness spill-over from the cyber area to intelligence sharing (C16).
    pub cyber_to_intelligence: f64,
    /// Readiness spill-over from the maritime area to evacuation by sea (C16).
    pub maritime_to_evacuation: f64,
    /// Readiness spill-over from the maritime area to rear-area support (C16).
    pub maritime_to_rear_area: f64,
}

/// One rung of Beijing's escalation ladder.
#[derive(Clone, Debug)]
pub struct Rung {
    /// Name, e.g. `economic-coercion`.
    pub name: String,
    /// Irritation at which Beijing acts on this rung.
    pub threshold: f64,
    /// Weight of one action on this rung, relative to the others (C9, F12–F17).
    pub severity: f64,
}

/// `[beijing]`.
#[derive(Clone, Debug)]
pub struct BeijingParams {
    /// Multiplier on every provocation; 0 makes Beijing indifferent.
    pub sensitivity: f64,
    /// Hawkishness, a world draw in [0, 1]; provocations are multiplied by 2 × disposition.
    pub disposition: Dist,
    /// Notice intensity k: P(notice a meeting) = 1 - exp(-k × (visibility + officialness) / 2).
    pub notice_intensity: f64,
    /// Irritation added by one noticed meeting of a fully official design on a reference agenda.
    pub provocation_per_meeting: f64,
    /// Extra weight of a security mandate in a meeting's provocation (C9).
    pub mandate_weight: f64,
    /// Exponent on officialness in the provocation (C1, C10).
    pub officialness_exponent: f64,
    /// Irritation added per noticed MOU, times its area's weight.
    pub agreement_provocation: f64,
    /// How sensitive Beijing is to each issue area (C15, C16).
    pub area_weight: PerArea<f64>,
    /// Largest discount the tacit understanding grants a consistent, low-key format (C10, C17).
    pub tacit_discount: f64,
    /// Share of irritation that fades each month.
    pub irritation_decay: f64,
    /// Largest monthly probability that Beijing acts; the probability rises smoothly with
    /// irritation: act_probability × (1 - exp(-irritation / first threshold)).
    pub act_probability: f64,
    /// Share of irritation released by an action.
    pub discharge: f64,
    /// Irritation added at crisis onset if the channel is active and used, times the design's
    /// provocation weight (C9).
    pub crisis_provocation: f64,
    /// Crisis irritation at which Beijing's escalation against Japan is as likely as not.
    pub crisis_half_irritation: f64,
    /// How sharply the escalation risk rises around `crisis_half_irritation` (a Hill exponent).
    pub crisis_escalation_steepness: f64,
    /// Share of every provocation removed when the channel's terms (objectives, modality,
    /// exit) were agreed first (C10, C13, C17).
    pub agreed_terms_discount: f64,
    /// Index into `rungs` of the rung whose severity is one unit of coercion
    /// (an economic-coercion equivalent, ECE).
    pub coercion_unit: usize,
    /// The escalation ladder, lowest rung first (C9).
    pub rungs: Vec<Rung>,
}

impl BeijingParams {
    /// Severity of rung `k` in coercion units (ECE): its severity over the unit rung's.
    pub fn severity_ece(&self, k: usize) -> f64 {
        let unit = self
            .rungs
            .get(self.coercion_unit)
            .map_or(1.0, |r| r.severity);
        match self.rungs.get(k) {
            Some(r) if unit > 0.0 => r.severity / unit,
            _ => 0.0,
        }
    }
}

/// `[tokyo]`.
#[derive(Clone, Debug)]
pub struct TokyoParams {
    /// Recent coercion (ECE, decaying memory) above which Tokyo suspends: a world draw (C8, C12).
    pub tolerance: Dist,
    /// Half-life, in months, of Tokyo's memory of coercion.
    pub memory_months: f64,
    /// Tokyo launches a design only if the coercion it expects per year is at most this share
    /// of its tolerance (C8, C12).
    pub launch_share: f64,
    /// Months of deliberation before a fully official design is launched; scaled by
    /// officialness (C6). A world draw.
    pub launch_lag_months: Dist,
    /// Probability of postponing a meeting when recent coercion is at tolerance (C8).
    pub postpone_sensitivity: f64,
    /// Months an agreed pause lasts (F9).
    pub pause_months: Dist,
    /// A collapse (no exit clause) lasts this many times longer (C13).
    pub collapse_resume_factor: f64,
    /// The channel resumes only when recent coercion is below this share of tolerance.
    pub resume_fraction: f64,
    /// Tolerance multiplier for suspending a channel with agreed exit terms (C13).
    pub exit_clause_tolerance_factor: f64,
    /// Domestic political shocks per year (C7).
    pub domestic_shock_rate: f64,
    /// Months a shock disrupts a design it hits (C7).
    pub disruption_months: f64,
    /// Tolerance multiplier when Washington is transactional: Tokyo's cover against Beijing
    /// (C19); below 1 less cover, above 1 more.
    pub transactional_tolerance_factor: f64,
    /// Launch-share multiplier when Washington is transactional: Tokyo's need for its own
    /// channel (C19); above 1 more need, below 1 less.
    pub transactional_need_factor: f64,
    /// What the tabletop decision `raise-level` adds to the form's officialness and authority,
    /// each capped at 1 (docs/MODEL.md §10). Optional; [`DEFAULT_RAISE_STEP`] when absent.
    pub raise_step: f64,
}

/// `[taipei]`.
#[derive(Clone, Debug)]
pub struct TaipeiParams {
    /// How hard Taipei presses when Tokyo delays, in [0, 1]: Taipei's policy, the same for
    /// every design (C18).
    pub pressure: f64,
    /// Share of the pressure that a Japan-led format lets through (C18).
    pub japan_led_restraint: f64,
}

/// `[us]`.
#[derive(Clone, Debug)]
pub struct UsParams {
    /// Probability that Washington is transactional in a replication (C19).
    pub p_transactional: f64,
    /// Probability that US forces fight when Washington is reliable (C11).
    pub p_intervene_reliable: f64,
    /// The same when Washington is transactional (C19).
    pub p_intervene_transactional: f64,
    /// Share of intelligence items that reach Tokyo via the US when Washington is reliable (C12, F9).
    pub relay_share_reliable: f64,
    /// The same when Washington is transactional (C19).
    pub relay_share_transactional: f64,
    /// Latency of the US relay, hours.
    pub relay_latency_hours: Dist,
}

/// `[crisis]`.
#[derive(Clone, Debug)]
pub struct CrisisParams {
    /// Days of strategic warning before onset.
    pub warning_days: Dist,
    /// Days after onset that air and sea routes stay open.
    pub post_onset_days: Dist,
    /// Intelligence items per day of warning (Poisson; at least one item).
    pub intel_items_per_day: f64,
    /// Half-life of an item's value, hours.
    pub intel_half_life_hours: f64,
    /// Latency through a standing liaison, hours (F7).
    pub liaison_latency_hours: Dist,
    /// Latency when the channel must be convened ad hoc, hours (F7).
    pub adhoc_latency_hours: Dist,
    /// Share of items passed without an intelligence MOU at full mandate, legitimacy and trust.
    pub share_floor: f64,
    /// Japanese residents in Taiwan (F1).
    pub nationals: f64,
    /// Japanese short-term visitors present (F1: "come on top").
    pub visitors: Dist,
    /// Share of nationals who choose to stay (settled residents, families).
    pub stay_share: Dist,
    /// Share of those wishing to leave who leave on their own each day of warning before
    /// Tokyo's decision.
    pub early_departure_per_day: f64,
    /// Days from warning to Tokyo's evacuation decision.
    pub decision_delay_days: Dist,
    /// Share of the decision delay that full intelligence exchange removes.
    pub warning_speedup: f64,
    /// Days to coordinate an organised evacuation ad hoc (F7).
    pub adhoc_coordination_days: Dist,
    /// Days to coordinate under an agreed NEO arrangement.
    pub agreed_coordination_days: Dist,
    /// Scheduled seats a day from Taiwan to Japan in normal times (S1).
    pub commercial_seats_per_day: Dist,
    /// Share of those seats Japanese nationals get in a general exodus.
    pub japanese_seat_share: Dist,
    /// Chartered lift per day once coordination is done, with a full NEO arrangement.
    pub organised_lift_per_day: Dist,
    /// Share of the chartered lift usable without any evacuation arrangement (F3, F7).
    pub adhoc_lift_share: f64,
    /// SDF lift per day, only with Taipei's consent (F2, F4).
    pub sdf_lift_per_day: Dist,
    /// Departures a day Japan's organised flights get on Songshan's single runway (F3).
    pub runway_departures_per_day: Dist,
    /// People one organised departure carries (F4).
    pub seats_per_departure: f64,
    /// Share of lift diverted to competing evacuations, e.g. the Sakishima islands (F5).
    pub competing_share: Dist,
    /// Probability that SDF consent is arranged in time without an agreement (F2).
    pub consent_base: f64,
    /// Value of agreements when the channel is halted at crisis onset.
    pub suspended_agreement_value: f64,
    /// Rear-area readiness of a mandated, fully legitimate channel without a rear-area MOU.
    pub rear_area_floor: f64,
    /// Value of rear-area readiness when US forces do not fight (C11).
    pub rear_area_value_without_us: f64,
    /// Exponent on trust in sharing and rear-area coordination.
    pub trust_exponent: f64,
}

/// `[weights]`: the composite score.
#[derive(Clone, Debug)]
pub struct Weights {
    /// Weight of `info_exchange`.
    pub info_exchange: f64,
    /// Weight of `evacuation`.
    pub evacuation: f64,
    /// Weight of `rear_area`.
    pub rear_area: f64,
    /// Penalty per economic-coercion equivalent a year (`coercion_rate`).
    pub coercion: f64,
    /// Penalty for a certain crisis escalation against Japan (`crisis_escalation`).
    pub escalation: f64,
}

/// Who sets the pace of the dialogue: a property of its format (C18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Japan in the driver's seat: Japan sets agenda and timetable, so a delay is its call.
    JapanLed,
    /// Agenda and timetable set jointly: Taipei can press when Tokyo delays.
    Joint,
}

impl Pace {
    /// The name used in scenario files.
    pub const fn name(self) -> &'static str {
        match self {
            Pace::JapanLed => "japan-led",
            Pace::Joint => "joint",
        }
    }
}

/// A channel's institutional form: who sits at the table, how official, how visible, how
/// consistent (docs/MODEL.md, "Form and programme").
#[derive(Clone, Debug, PartialEq)]
pub struct Form {
    /// Capacity of participants to commit their governments, [0, 1] (C3, C6, C7, F2).
    pub authority: f64,
    /// How official it looks to Beijing, [0, 1] (C1, C9).
    pub officialness: f64,
    /// Remit to discuss security, [0, 1] (C4).
    pub security_mandate: f64,
    /// Publicity of meetings, [0, 1].
    pub visibility: f64,
    /// Fixed format, venue rotation and schedule, [0, 1] (C14, C17).
    pub format_consistency: f64,
    /// Exposure to Japanese domestic politics, [0, 1] (C7).
    pub domestic_exposure: f64,
    /// A standing liaison office or hotline (F7).
    pub standing_liaison: bool,
    /// Whether both sides agreed when Japan may pause the channel (C13).
    pub exit_clause: bool,
    /// Who sets the pace (C18).
    pub pace: Pace,
}

/// What a channel does: how often it meets and on what (C14–C16).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Programme {
    /// Meetings per year.
    pub cadence_per_year: f64,
    /// The agenda.
    pub issue_areas: AreaSet,
}

/// A dialogue-channel design: a set of parameters, not code.
#[derive(Clone, Debug)]
pub struct Design {
    /// Identifier used on the command line and in the CSVs.
    pub id: String,
    /// Human-readable name.
    pub name: String,
    /// What the design is, in a sentence.
    pub description: String,
    /// Its institutional form.
    pub form: Form,
    /// Its programme: the scenario's common one, or its own where it sets one.
    pub programme: Programme,
    /// True when the design sets its own cadence or agenda instead of the common programme.
    pub own_programme: bool,
}

impl Scenario {
    /// Index of the design with this id.
    pub fn design_index(&self, id: &str) -> Option<usize> {
        self.designs.iter().position(|d| d.id == id)
    }

    /// The channel in place today (C4), which a design that is never launched leaves in place.
    pub fn status_quo_design(&self) -> Option<&Design> {
        self.designs.iter().find(|d| d.id == self.status_quo)
    }
}

/// The closest of `candidates` to `word`, if any is close enough to be a likely typo.
pub fn suggest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::damerau_levenshtein(word, c), c))
        .filter(|(d, c)| *d <= 2.max(c.len() / 3))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}
