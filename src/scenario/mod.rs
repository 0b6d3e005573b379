//! Scenarios: the TOML schema, its validation with file:line:key errors, `--set` overrides and
//! the embedded default scenario.
//!
//! A scenario is the world (actors, crisis timeline, distributions) plus the list of
//! dialogue-channel designs to compare. Every field here is documented in `docs/MODEL.md`
//! with the claim or fact it rests on.

mod dist;
mod load;
pub mod overrides;
pub mod tree;

pub use dist::Dist;
pub use load::{load_file, load_str, Diagnostic, LoadError, Loaded, Source};
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

/// The issue areas a design can work on (C5, C16).
pub const ISSUE_AREAS: [&str; 5] = [
    "intelligence",
    "evacuation",
    "cyber",
    "maritime",
    "rear-area",
];
/// Index of `intelligence` in [`ISSUE_AREAS`].
pub const AREA_INTEL: usize = 0;
/// Index of `evacuation` in [`ISSUE_AREAS`].
pub const AREA_EVAC: usize = 1;
/// Index of `cyber` in [`ISSUE_AREAS`].
pub const AREA_CYBER: usize = 2;
/// Index of `maritime` in [`ISSUE_AREAS`].
pub const AREA_MARITIME: usize = 3;
/// Index of `rear-area` in [`ISSUE_AREAS`].
pub const AREA_REAR: usize = 4;

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
    /// Everything that is not a design.
    pub world: WorldParams,
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
    /// Tokyo's tolerance, suspension and domestic politics.
    pub tokyo: TokyoParams,
    /// Taipei's pressure.
    pub taipei: TaipeiParams,
    /// Washington's posture and the US–Taiwan channel.
    pub us: UsParams,
    /// The crisis: warning, intelligence, evacuation, rear-area support.
    pub crisis: CrisisParams,
}

/// `[timeline]`.
#[derive(Clone, Debug)]
pub struct Timeline {
    /// Months from the channel's launch to the crisis (rounded to whole months).
    pub buildup_months: Dist,
}

/// `[trust]`.
#[derive(Clone, Debug)]
pub struct TrustParams {
    /// Trust at launch, in [0, 1].
    pub initial: Dist,
    /// Share of the remaining distance to full trust gained per agreement signed (C13, C14).
    pub gain_per_agreement: f64,
    /// Share of the remaining distance gained per meeting held.
    pub gain_per_meeting: f64,
    /// Trust lost per month of Tokyo delay (channel halted, or a postponed meeting still owed)
    /// under full Taipei pressure (C18).
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
    /// Readiness an area gains per MOU: readiness = 1 - (1 - depth)^k.
    pub depth_per_agreement: f64,
    /// Readiness spill-over weights from the cyber area to intelligence sharing (C16).
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
    /// Irritation at which Beijing may act on this rung.
    pub threshold: f64,
    /// Backlash points one action on this rung costs (C9, F12–F17).
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
    /// Irritation added by one noticed meeting of a fully official design.
    pub provocation_per_meeting: f64,
    /// Extra weight of a security mandate in a meeting's provocation (C9).
    pub mandate_weight: f64,
    /// Exponent on officialness in the provocation (C1, C10).
    pub officialness_exponent: f64,
    /// Irritation added per noticed MOU.
    pub agreement_provocation: f64,
    /// Largest discount the tacit understanding grants a consistent, low-key format (C10, C17).
    pub tacit_discount: f64,
    /// Share of irritation that fades each month.
    pub irritation_decay: f64,
    /// Monthly probability that Beijing acts while irritation is above the first rung.
    pub act_probability: f64,
    /// Share of irritation released by an action.
    pub discharge: f64,
    /// Irritation added at crisis onset if the channel is active, times the design's
    /// provocation weight (Beijing's multiplier × official weight × tacit factor) (C9).
    pub crisis_provocation: f64,
    /// Extra action opportunities Beijing takes during the crisis.
    pub crisis_actions: u32,
    /// The escalation ladder, lowest rung first (C9).
    pub rungs: Vec<Rung>,
}

/// `[tokyo]`.
#[derive(Clone, Debug)]
pub struct TokyoParams {
    /// Recent backlash (points) above which Tokyo suspends the channel: a world draw (C8, C12).
    pub tolerance: Dist,
    /// Half-life, in months, of Tokyo's memory of backlash.
    pub memory_months: f64,
    /// Probability of postponing a meeting when recent backlash is at tolerance (C8).
    pub postpone_sensitivity: f64,
    /// Months a suspension lasts when an exit clause was agreed (F9).
    pub pause_months: Dist,
    /// A collapse (no exit clause) lasts this many times longer (C13).
    pub collapse_resume_factor: f64,
    /// The channel resumes only when recent backlash is below this share of tolerance.
    pub resume_fraction: f64,
    /// Domestic political shocks per year (C7).
    pub domestic_shock_rate: f64,
    /// Months a shock disrupts a design it hits (C7).
    pub disruption_months: f64,
    /// Tolerance multiplier when Washington is transactional (C19).
    pub transactional_tolerance_factor: f64,
}

/// `[taipei]`.
#[derive(Clone, Debug)]
pub struct TaipeiParams {
    /// How hard Taipei pushes when Tokyo delays, in [0, 1] (C18).
    pub pressure: f64,
    /// Share of the pressure that remains when the pace is Japan-led (C18).
    pub japan_led_restraint: f64,
}

/// `[us]`.
#[derive(Clone, Debug)]
pub struct UsParams {
    /// Probability that Washington is transactional in a replication (C19).
    pub p_transactional: f64,
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
    /// Share of items passed without an intelligence MOU at full mandate and trust; the
    /// sharing probability is then scaled by the mandate and by trust^trust_exponent.
    pub share_floor: f64,
    /// Japanese residents in Taiwan (F1).
    pub nationals: f64,
    /// Japanese short-term visitors present (F1: "come on top").
    pub visitors: Dist,
    /// Days from warning to Tokyo's evacuation decision.
    pub decision_delay_days: Dist,
    /// Share of the decision delay that full intelligence exchange removes.
    pub warning_speedup: f64,
    /// Days to coordinate an organised evacuation ad hoc (F7).
    pub adhoc_coordination_days: Dist,
    /// Days to coordinate under an agreed NEO arrangement.
    pub agreed_coordination_days: Dist,
    /// Scheduled commercial seats per day open to Japanese nationals (F3).
    pub commercial_lift_per_day: Dist,
    /// Chartered lift per day once coordination is done, with a full NEO arrangement.
    pub organised_lift_per_day: Dist,
    /// Share of the chartered lift usable without any evacuation arrangement (F3, F7).
    pub adhoc_lift_share: f64,
    /// SDF lift per day, only with Taipei's consent (F2, F4).
    pub sdf_lift_per_day: Dist,
    /// Share of lift diverted to competing evacuations, e.g. the Sakishima islands (F5).
    pub competing_share: Dist,
    /// Probability that SDF consent is arranged in time without an agreement (F2).
    pub consent_base: f64,
    /// Value of agreements when the channel is suspended at crisis onset.
    pub suspended_agreement_value: f64,
    /// Rear-area readiness of a mandated channel without a rear-area MOU.
    pub rear_area_floor: f64,
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
    /// Penalty weight of `backlash / backlash_scale`.
    pub backlash: f64,
    /// Backlash points that count as one unit of penalty.
    pub backlash_scale: f64,
}

/// Who sets the pace of the dialogue (C18).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pace {
    /// Japan in the driver's seat.
    JapanLed,
    /// Taipei pushes, especially when Tokyo delays.
    TaipeiPushed,
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
    /// Capacity of participants to commit their governments, [0, 1] (C3, C6, C7).
    pub authority: f64,
    /// How official it looks to Beijing, [0, 1] (C1, C9).
    pub officialness: f64,
    /// Remit to discuss security, [0, 1] (C4).
    pub security_mandate: f64,
    /// Meetings per year.
    pub cadence_per_year: f64,
    /// A standing liaison office or hotline (F7).
    pub standing_liaison: bool,
    /// Publicity of meetings, [0, 1].
    pub visibility: f64,
    /// Fixed format, venue rotation and schedule, [0, 1] (C14, C17).
    pub format_consistency: f64,
    /// Issue areas worked on, as flags indexed like [`ISSUE_AREAS`] (C15, C16).
    pub issue_areas: [bool; 5],
    /// Who sets the pace (C18).
    pub pace: Pace,
    /// Whether both sides agreed when Japan may pause the channel (C13).
    pub exit_clause: bool,
    /// Exposure to Japanese domestic politics, [0, 1] (C7).
    pub domestic_exposure: f64,
}

impl Design {
    /// Number of issue areas worked on.
    pub fn n_areas(&self) -> usize {
        self.issue_areas.iter().filter(|&&a| a).count()
    }
}

impl Scenario {
    /// Index of the design with this id.
    pub fn design_index(&self, id: &str) -> Option<usize> {
        self.designs.iter().position(|d| d.id == id)
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
