//! One replication: the world draw, the build-up years, Beijing, Tokyo and the crisis.
//!
//! Pure functions of (parameters, random streams). The model knows nothing of threads, files
//! or statistics; docs/MODEL.md explains every equation here with its claim or fact.
//!
//! Common random numbers: everything that is "the world" (crisis timing, Beijing's disposition,
//! Tokyo's tolerance, US posture, domestic shocks, Beijing's monthly decision draws and the
//! intelligence items) comes from streams that every design reads identically, so all designs
//! of replication *i* face the same world. A design's own draws (meetings noticed, MOUs signed,
//! latencies) come from a stream keyed by its id.

mod buildup;
mod crisis;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};

use crate::metric::N_METRICS;
use crate::scenario::{Design, Weights, WorldParams};

pub use buildup::{Buildup, ChannelStatus};

/// The per-replication draws shared by every design ("the world").
#[derive(Clone, Debug, PartialEq)]
pub struct World {
    /// Months from launch to crisis onset.
    pub buildup_months: u32,
    /// Trust at launch.
    pub trust0: f64,
    /// Beijing's provocation multiplier: sensitivity × 2 × disposition.
    pub beijing_multiplier: f64,
    /// Recent backlash Tokyo bears before suspending (already scaled for US posture).
    pub tolerance: f64,
    /// Months a clean pause lasts in this world.
    pub pause_months: f64,
    /// Whether Washington is transactional (C19).
    pub transactional: bool,
    /// Share of intelligence items the US relays to Tokyo.
    pub relay_share: f64,
    /// Days of strategic warning.
    pub warning_days: f64,
    /// Days from warning until air and sea routes close.
    pub window_days: f64,
    /// Intelligence items during the warning period (at least 1).
    pub intel_items: u32,
    /// Japanese nationals and visitors to evacuate.
    pub people: f64,
    /// Days from warning to Tokyo's evacuation decision, before any intelligence speed-up.
    pub decision_delay_days: f64,
    /// Days to coordinate an organised evacuation ad hoc.
    pub adhoc_coordination_days: f64,
    /// Days to coordinate under an agreed arrangement.
    pub agreed_coordination_days: f64,
    /// Scheduled commercial seats per day, after competing demand.
    pub commercial_lift: f64,
    /// Chartered lift per day, after competing demand.
    pub organised_lift: f64,
    /// SDF lift per day, after competing demand.
    pub sdf_lift: f64,
    /// Common uniform deciding whether Taipei's consent to SDF flights comes in time.
    pub consent_draw: f64,
}

/// First ChaCha stream number of the world draws; component k reads stream WORLD_STREAM + k.
pub const WORLD_STREAM: u64 = 16;

/// Draw the world of one replication from its 256-bit key. Each component reads its own
/// ChaCha8 stream, so changing one distribution (even to one that uses more random numbers,
/// like a beta) leaves every other component's draws unchanged.
pub fn draw_world(p: &WorldParams, key: [u8; 32]) -> World {
    let c = &p.crisis;
    let mut k = WORLD_STREAM;
    let mut next = || {
        let mut rng = ChaCha8Rng::from_seed(key);
        rng.set_stream(k);
        k += 1;
        rng
    };
    let buildup_months = p
        .timeline
        .buildup_months
        .sample(&mut next())
        .round()
        .max(1.0) as u32;
    let trust0 = p.trust.initial.sample(&mut next()).clamp(0.0, 1.0);
    let disposition = p.beijing.disposition.sample(&mut next());
    let tolerance_raw = p.tokyo.tolerance.sample(&mut next());
    let pause_months = p.tokyo.pause_months.sample(&mut next());
    let transactional = next().random::<f64>() < p.us.p_transactional;
    let warning_days = c.warning_days.sample(&mut next());
    let post_onset = c.post_onset_days.sample(&mut next());
    let lambda = c.intel_items_per_day * warning_days;
    let mut items_rng = next();
    let intel_items = if lambda > 0.0 {
        match Poisson::new(lambda) {
            Ok(d) => (d.sample(&mut items_rng) as u32).max(1),
            Err(_) => 1,
        }
    } else {
        1
    };
    let people = c.nationals + c.visitors.sample(&mut next());
    let decision_delay_days = c.decision_delay_days.sample(&mut next());
    let adhoc_coordination_days = c.adhoc_coordination_days.sample(&mut next());
    let agreed_coordination_days = c.agreed_coordination_days.sample(&mut next());
    let available = 1.0 - c.competing_share.sample(&mut next());
    let commercial_lift = c.commercial_lift_per_day.sample(&mut next()) * available;
    let organised_lift = c.organised_lift_per_day.sample(&mut next()) * available;
    let sdf_lift = c.sdf_lift_per_day.sample(&mut next()) * available;
    let consent_draw = next().random::<f64>();
    World {
        buildup_months,
        trust0,
        beijing_multiplier: p.beijing.sensitivity * 2.0 * disposition,
        tolerance: tolerance_raw
            * if transactional {
                p.tokyo.transactional_tolerance_factor
            } else {
                1.0
            },
        pause_months,
        transactional,
        relay_share: if transactional {
            p.us.relay_share_transactional
        } else {
            p.us.relay_share_reliable
        },
        warning_days,
        window_days: warning_days + post_onset,
        intel_items,
        people,
        decision_delay_days,
        adhoc_coordination_days,
        agreed_coordination_days,
        commercial_lift,
        organised_lift,
        sdf_lift,
        consent_draw,
    }
}

/// The scores of one design in one replication, indexed like [`crate::metric::METRICS`].
pub type Scores = [f64; N_METRICS];

/// The random streams one design reads in one replication.
pub struct Streams<'a> {
    /// Monthly world events (domestic shocks, Beijing's act decisions): same for every design.
    pub monthly: &'a mut ChaCha8Rng,
    /// Intelligence items: same for every design.
    pub intel: &'a mut ChaCha8Rng,
    /// The design's own draws.
    pub design: &'a mut ChaCha8Rng,
}

/// Play one design through the build-up and the crisis of `world`; return its scores.
pub fn simulate(
    p: &WorldParams,
    weights: &Weights,
    design: &Design,
    world: &World,
    streams: Streams<'_>,
) -> Scores {
    let mut b = Buildup::new(p, design, world);
    b.run(streams.monthly, streams.design);
    crisis::score(p, weights, design, world, &mut b, streams)
}

/// Probability that Beijing notices one meeting of `d` (C9): 1 - exp(-k × salience).
pub fn notice_probability(p: &WorldParams, d: &Design) -> f64 {
    let salience = (d.visibility + d.officialness) / 2.0;
    1.0 - (-p.beijing.notice_intensity * salience).exp()
}

/// How much of a provocation survives the tacit understanding (C10, C17):
/// 1 - tacit_discount × format_consistency × (1 - visibility).
pub fn tacit_factor(p: &WorldParams, d: &Design) -> f64 {
    1.0 - p.beijing.tacit_discount * d.format_consistency * (1.0 - d.visibility)
}

/// Official weight of a design in Beijing's eyes: officialness^exponent × (1 + w × mandate).
pub fn official_weight(p: &WorldParams, d: &Design) -> f64 {
    d.officialness.powf(p.beijing.officialness_exponent)
        * (1.0 + p.beijing.mandate_weight * d.security_mandate)
}
