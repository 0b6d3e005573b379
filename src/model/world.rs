//! §1 The world draw: everything every design faces alike in one replication.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, Poisson};

use crate::scenario::WorldParams;

/// The per-replication draws shared by every design ("the world").
#[derive(Clone, Debug, Default, PartialEq)]
pub struct World {
    /// Months from the decision point (month 0) to crisis onset.
    pub buildup_months: u32,
    /// Trust at month 0.
    pub trust0: f64,
    /// Beijing's disposition, in [0, 1].
    pub disposition: f64,
    /// Beijing's provocation multiplier: sensitivity × 2 × disposition.
    pub beijing_multiplier: f64,
    /// Recent coercion (ECE) Tokyo bears before suspending (already scaled for US posture).
    pub tolerance: f64,
    /// Months of deliberation before launching a fully official design.
    pub launch_lag_months: f64,
    /// Months an agreed pause lasts in this world.
    pub pause_months: f64,
    /// Whether Washington is transactional (C19).
    pub transactional: bool,
    /// Whether US forces fight (C11, C19).
    pub us_intervenes: bool,
    /// Share of intelligence items the US relays to Tokyo.
    pub relay_share: f64,
    /// Days of strategic warning.
    pub warning_days: f64,
    /// Days from warning until air and sea routes close.
    pub window_days: f64,
    /// Intelligence items during the warning period (at least 1).
    pub intel_items: u32,
    /// Japanese nationals and visitors present.
    pub people: f64,
    /// Share of them who stay.
    pub stay_share: f64,
    /// Days from warning to Tokyo's evacuation decision, before any intelligence speed-up.
    pub decision_delay_days: f64,
    /// Days to coordinate an organised evacuation ad hoc.
    pub adhoc_coordination_days: f64,
    /// Days to coordinate under an agreed arrangement.
    pub agreed_coordination_days: f64,
    /// Commercial seats a day open to Japanese nationals, after competing demand.
    pub commercial_lift: f64,
    /// Chartered lift per day, after competing demand.
    pub organised_lift: f64,
    /// SDF lift per day, after competing demand.
    pub sdf_lift: f64,
    /// Most people a day organised flights can move through Songshan (F3).
    pub runway_ceiling: f64,
    /// Common uniform deciding whether Taipei's consent to SDF flights comes in time.
    pub consent_draw: f64,
    /// Common uniform deciding whether US forces fight (below the posture's probability); kept
    /// so that a US-statement inject can change the posture (§10).
    pub intervene_draw: f64,
}

/// Number of columns a world adds to replications.csv.
pub const N_WORLD_COLUMNS: usize = 23;

impl World {
    /// The world's draws as replications.csv columns (docs/OUTPUTS.md §6 gives units): name
    /// and value, booleans as 0/1, in a fixed order.
    pub fn columns(&self) -> [(&'static str, f64); N_WORLD_COLUMNS] {
        let b = |x: bool| if x { 1.0 } else { 0.0 };
        [
            ("world_buildup_months", self.buildup_months as f64),
            ("world_trust0", self.trust0),
            ("world_disposition", self.disposition),
            ("world_beijing_multiplier", self.beijing_multiplier),
            ("world_tolerance", self.tolerance),
            ("world_launch_lag_months", self.launch_lag_months),
            ("world_pause_months", self.pause_months),
            ("world_transactional", b(self.transactional)),
            ("world_us_intervenes", b(self.us_intervenes)),
            ("world_relay_share", self.relay_share),
            ("world_warning_days", self.warning_days),
            ("world_window_days", self.window_days),
            ("world_intel_items", self.intel_items as f64),
            ("world_people", self.people),
            ("world_stay_share", self.stay_share),
            ("world_decision_delay_days", self.decision_delay_days),
            (
                "world_adhoc_coordination_days",
                self.adhoc_coordination_days,
            ),
            (
                "world_agreed_coordination_days",
                self.agreed_coordination_days,
            ),
            ("world_commercial_lift", self.commercial_lift),
            ("world_organised_lift", self.organised_lift),
            ("world_sdf_lift", self.sdf_lift),
            ("world_runway_ceiling", self.runway_ceiling),
            ("world_consent_draw", self.consent_draw),
        ]
    }
}

/// First ChaCha stream number of the world draws; component k reads stream WORLD_STREAM + k.
pub const WORLD_STREAM: u64 = 16;
/// Number of world components, each on its own stream (16 to 38): the world draw starts this
/// many ChaCha8 streams per replication, each computing at least one refill (64 words).
pub const WORLD_STREAMS: u64 = 23;

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
    // Streams 16.. in this order; a component keeps its number even when its value is fixed.
    let buildup_months = p
        .timeline
        .buildup_months
        .sample(&mut next())
        .round()
        .max(1.0) as u32; // 16
    let trust0 = p.trust.initial.sample(&mut next()).clamp(0.0, 1.0); // 17
    let disposition = p.beijing.disposition.sample(&mut next()); // 18
    let tolerance_raw = p.tokyo.tolerance.sample(&mut next()); // 19
    let pause_months = p.tokyo.pause_months.sample(&mut next()); // 20
    let transactional = next().random::<f64>() < p.us.p_transactional; // 21
    let warning_days = c.warning_days.sample(&mut next()); // 22
    let post_onset = c.post_onset_days.sample(&mut next()); // 23
    let lambda = c.intel_items_per_day * warning_days;
    let mut items_rng = next(); // 24
    let intel_items = if lambda > 0.0 {
        match Poisson::new(lambda) {
            Ok(d) => (d.sample(&mut items_rng) as u32).max(1),
            Err(_) => 1,
        }
    } else {
        1
    };
    let people = c.nationals + c.visitors.sample(&mut next()); // 25
    let decision_delay_days = c.decision_delay_days.sample(&mut next()); // 26
    let adhoc_coordination_days = c.adhoc_coordination_days.sample(&mut next()); // 27
    let agreed_coordination_days = c.agreed_coordination_days.sample(&mut next()); // 28
    let available = 1.0 - c.competing_share.sample(&mut next()); // 29
    let seats = c.commercial_seats_per_day.sample(&mut next()); // 30
    let organised_lift = c.organised_lift_per_day.sample(&mut next()) * available; // 31
    let sdf_lift = c.sdf_lift_per_day.sample(&mut next()) * available; // 32
    let consent_draw = next().random::<f64>(); // 33
    let u_intervene = next().random::<f64>(); // 34
    let launch_lag_months = p.tokyo.launch_lag_months.sample(&mut next()); // 35
    let stay_share = c.stay_share.sample(&mut next()); // 36
    let japanese_share = c.japanese_seat_share.sample(&mut next()); // 37
    let departures = c.runway_departures_per_day.sample(&mut next()); // 38
    debug_assert_eq!(
        k,
        WORLD_STREAM + WORLD_STREAMS,
        "WORLD_STREAMS is out of date"
    );
    let p_intervene = if transactional {
        p.us.p_intervene_transactional
    } else {
        p.us.p_intervene_reliable
    };
    World {
        buildup_months,
        trust0,
        disposition,
        beijing_multiplier: p.beijing.sensitivity * 2.0 * disposition,
        tolerance: tolerance_raw
            * if transactional {
                p.tokyo.transactional_tolerance_factor
            } else {
                1.0
            },
        launch_lag_months,
        pause_months,
        transactional,
        us_intervenes: u_intervene < p_intervene,
        relay_share: if transactional {
            p.us.relay_share_transactional
        } else {
            p.us.relay_share_reliable
        },
        warning_days,
        window_days: warning_days + post_onset,
        intel_items,
        people,
        stay_share,
        decision_delay_days,
        adhoc_coordination_days,
        agreed_coordination_days,
        commercial_lift: seats * japanese_share * available,
        organised_lift,
        sdf_lift,
        runway_ceiling: departures * c.seats_per_departure,
        consent_draw,
        intervene_draw: u_intervene,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load_str, BASELINE_TOML};

    #[test]
    fn world_draw_value_stability() {
        // Seed 2049, replication 0 of the baseline: breaks when a distribution, its stream
        // number or the key derivation changes (docs/MODEL.md §1).
        let s = load_str("baseline", BASELINE_TOML, &[]).unwrap().scenario;
        let w = draw_world(&s.world, crate::engine::replication_key(2049, 0));
        let got = (
            w.buildup_months,
            w.intel_items,
            w.transactional,
            w.us_intervenes,
            (w.warning_days * 1e6).round() / 1e6,
            (w.people).round(),
        );
        assert_eq!(got, (88, 17, false, true, 17.998242, 26048.0), "{got:?}");
    }

    #[test]
    fn each_component_reads_its_own_stream() {
        // Changing one distribution leaves every other component's draw unchanged.
        let a = load_str("baseline", BASELINE_TOML, &[]).unwrap().scenario;
        let ov = [crate::scenario::Override::parse(
            "crisis.warning_days={ dist = \"beta\", mean = 0.5, sd = 0.2 }",
        )
        .unwrap()];
        let b = load_str("baseline", BASELINE_TOML, &ov).unwrap().scenario;
        let key = crate::engine::replication_key(9, 3);
        let (x, y) = (draw_world(&a.world, key), draw_world(&b.world, key));
        assert_ne!(x.warning_days, y.warning_days);
        assert_eq!(
            (
                x.buildup_months,
                x.trust0,
                x.disposition,
                x.people,
                x.launch_lag_months
            ),
            (
                y.buildup_months,
                y.trust0,
                y.disposition,
                y.people,
                y.launch_lag_months
            )
        );
    }
}
