//! One replication: the world draw, the build-up years, Beijing, Tokyo and the crisis.
//!
//! Pure functions of (parameters, random streams). The model knows nothing of threads, files
//! or statistics; docs/MODEL.md explains every equation here with its claim or fact, section by
//! section: §1 [`world`], §2–§3 and §6 [`buildup`], §4 [`beijing`], §5 [`tokyo`], §7–§9
//! [`crisis`].
//!
//! Common random numbers: everything that is "the world" (crisis timing, Beijing's disposition,
//! Tokyo's tolerance, US posture and intervention, domestic shocks, Beijing's monthly decision
//! draws and the intelligence items) comes from streams that every design reads identically, so
//! all designs of replication *i* face the same world. A channel's own draws (meetings noticed,
//! MOUs signed, latencies) come from a stream keyed by the id of the design in operation: the
//! status quo's until a design is launched, the design's own after.

pub mod beijing;
pub mod buildup;
pub mod crisis;
pub mod observe;
pub mod tokyo;
pub mod world;

use rand::Rng;

use crate::metric::{Metric, N_METRICS};
use crate::scenario::{Design, InjectKind, InjectTime, Weights, WorldParams};

pub use buildup::{Buildup, ChannelStatus};
pub use observe::{Choice, Event, Observer, Point, When};
pub use world::{draw_world, World, N_WORLD_COLUMNS, WORLD_STREAM, WORLD_STREAMS};

/// The scores of one design in one replication, by name (docs/MODEL.md §9).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Outcome {
    /// Share of the crisis's intelligence value that reached Tokyo by any path.
    pub info_exchange: f64,
    /// Share of it that came through the Japan–Taiwan channel.
    pub info_via_channel: f64,
    /// Share of the nationals wishing to leave who got out.
    pub evacuation: f64,
    /// Value of rear-area support coordination.
    pub rear_area: f64,
    /// Peacetime coercion, economic-coercion equivalents per year of build-up.
    pub coercion_rate: f64,
    /// Highest peacetime rung reached (0 = none).
    pub max_rung: f64,
    /// Probability that Beijing escalates against Japan in the crisis.
    pub crisis_escalation: f64,
    /// 1 if Tokyo launched the design before the crisis.
    pub launched: f64,
    /// 1 if the channel was active at crisis onset.
    pub channel_survived: f64,
    /// MOUs signed in the build-up (by any channel in operation).
    pub agreements: f64,
    /// Trust at crisis onset.
    pub trust_at_crisis: f64,
    /// Share of build-up months with the channel active.
    pub active_share: f64,
    /// The weighted composite.
    pub composite: f64,
}

impl Outcome {
    /// The value of one metric.
    pub fn get(&self, m: Metric) -> f64 {
        match m {
            Metric::InfoExchange => self.info_exchange,
            Metric::InfoViaChannel => self.info_via_channel,
            Metric::Evacuation => self.evacuation,
            Metric::RearArea => self.rear_area,
            Metric::CoercionRate => self.coercion_rate,
            Metric::MaxRung => self.max_rung,
            Metric::CrisisEscalation => self.crisis_escalation,
            Metric::Launched => self.launched,
            Metric::ChannelSurvived => self.channel_survived,
            Metric::Agreements => self.agreements,
            Metric::TrustAtCrisis => self.trust_at_crisis,
            Metric::ActiveShare => self.active_share,
            Metric::Composite => self.composite,
        }
    }

    /// The scores in column order ([`Metric::ALL`]), for the accumulators and CSVs.
    pub fn scores(&self) -> Scores {
        let mut s = [0.0; N_METRICS];
        for (v, m) in s.iter_mut().zip(Metric::ALL) {
            *v = self.get(m);
        }
        s
    }
}

/// An outcome as a flat row in [`Metric::ALL`] order (what the statistics aggregate).
pub type Scores = [f64; N_METRICS];

/// The random streams one design reads in one replication: `W` for the world's streams, `D`
/// for the channels' (any generator; the engine passes replays of ChaCha8 streams, see
/// `crate::tape`).
pub struct Streams<'a, W: Rng + ?Sized, D: Rng + ?Sized> {
    /// Monthly world events (domestic shocks, Beijing's act decisions): same for every design.
    pub monthly: &'a mut W,
    /// Intelligence items (the world's side, [`crisis::intel_items`]): same for every design.
    pub intel: &'a mut W,
    /// The design's own draws, once it is launched.
    pub design: &'a mut D,
    /// The status quo's own draws, read while the status quo is in operation.
    pub status_quo: &'a mut D,
}

/// Play one design through the build-up and the crisis of `world`; return its scores.
///
/// `status_quo` is the channel in place today: it serves until Tokyo launches `design`
/// (docs/MODEL.md §5), and for the whole run when it never does, in which case the outcome is
/// exactly the status quo's.
pub fn simulate<W: Rng + ?Sized, D: Rng + ?Sized>(
    p: &WorldParams,
    weights: &Weights,
    design: &Design,
    status_quo: &Design,
    world: &World,
    streams: Streams<'_, W, D>,
) -> Outcome {
    simulate_observed(p, weights, design, status_quo, world, streams, &mut ())
}

/// [`simulate`], telling `obs` what happens and asking it the decision points (§10). With
/// `()` it is `simulate`; with an observer that answers every point with its default it gives
/// the same scores.
pub fn simulate_observed<O: Observer, W: Rng + ?Sized, D: Rng + ?Sized>(
    p: &WorldParams,
    weights: &Weights,
    design: &Design,
    status_quo: &Design,
    world: &World,
    streams: Streams<'_, W, D>,
    obs: &mut O,
) -> Outcome {
    let mut b = Buildup::new(p, design, status_quo, world);
    let Streams {
        monthly,
        intel,
        design: own,
        status_quo: sq,
    } = streams;
    b.run_from(0, monthly, own, sq, obs);
    play_crisis(p, weights, world, &b, intel, own, sq, obs)
}

/// The crisis after the build-up `b` (§8, §10): the world as the injects left it
/// ([`crisis_world`]), its intelligence items drawn from `intel`, the stream of the channel in
/// operation at onset.
#[allow(clippy::too_many_arguments)]
pub fn play_crisis<O: Observer, W: Rng + ?Sized, D: Rng + ?Sized>(
    p: &WorldParams,
    weights: &Weights,
    world: &World,
    b: &Buildup<'_>,
    intel: &mut W,
    own: &mut D,
    status_quo: &mut D,
    obs: &mut O,
) -> Outcome {
    let rng = if b.launched() { own } else { status_quo };
    let mut items = Vec::new();
    if p.injects.is_empty() {
        crisis::intel_items(p, world, intel, &mut items);
        return crisis::score_observed(p, weights, world, b, &items, rng, obs);
    }
    let w = crisis_world(p, world, b, obs);
    crisis::intel_items(p, &w, intel, &mut items);
    crisis::score_observed(p, weights, &w, b, &items, rng, obs)
}

/// The world the crisis meets after the injects (§10): Washington's posture as the last US
/// statement left it, the warning as a shortened-warning inject cuts it.
pub fn crisis_world<O: Observer>(
    p: &WorldParams,
    world: &World,
    b: &Buildup<'_>,
    obs: &mut O,
) -> World {
    let mut w = world.clone();
    if b.transactional != w.transactional {
        w.transactional = b.transactional;
        let (relay, intervene) = if b.transactional {
            (
                p.us.relay_share_transactional,
                p.us.p_intervene_transactional,
            )
        } else {
            (p.us.relay_share_reliable, p.us.p_intervene_reliable)
        };
        w.relay_share = relay;
        w.us_intervenes = w.intervene_draw < intervene;
    }
    for inj in p.injects.iter().filter(|i| i.at == InjectTime::Warning) {
        if let InjectKind::ShortenedWarning { warning_share } = inj.kind {
            if O::ACTIVE {
                obs.event(When::Day(0.0), &Event::Inject { inject: inj });
            }
            let cut = w.warning_days * (1.0 - warning_share);
            w.warning_days -= cut;
            w.window_days -= cut;
            w.intel_items = ((w.intel_items as f64 * warning_share).round() as u32).max(1);
        }
    }
    w
}
