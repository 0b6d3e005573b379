//! The crisis: Beijing's reaction to the channel's use, intelligence exchange, evacuation of
//! nationals and rear-area support, and the scores (C5, F1–F7; docs/MODEL.md §6–§8).

use rand::Rng;

use super::{Buildup, Scores, Streams, World};
use crate::metric::N_METRICS;
use crate::scenario::{
    Design, Weights, WorldParams, AREA_CYBER, AREA_EVAC, AREA_INTEL, AREA_MARITIME, AREA_REAR,
};

/// Readiness from `k` MOUs in an area: 1 - (1 - depth)^k.
fn readiness(depth: f64, k: u32) -> f64 {
    1.0 - (1.0 - depth).powi(k as i32)
}

/// Combine a main area's readiness with a spill-over area's: 1 - (1 - r)(1 - w × s).
fn with_spillover(r: f64, weight: f64, s: f64) -> f64 {
    1.0 - (1.0 - r) * (1.0 - weight * s)
}

pub(super) fn score(
    p: &WorldParams,
    weights: &Weights,
    d: &Design,
    w: &World,
    b: &mut Buildup<'_>,
    streams: Streams<'_>,
) -> Scores {
    let c = &p.crisis;
    let a = &p.agreements;
    let active = b.active();
    let months = w.buildup_months;
    let active_share = b.active_months as f64 / months as f64;
    let trust = b.trust;
    let agreements = b.agreements();

    // Beijing answers the channel's use in the crisis (C9): extra irritation, then
    // `crisis_actions` action opportunities, each taken.
    if active {
        b.provoke_crisis();
    }
    for _ in 0..p.beijing.crisis_actions {
        b.beijing_acts(true);
    }

    // Readiness of each crisis function from the MOUs signed (C14–C16). MOUs outlive a
    // suspended channel but are only partly usable without it (C13).
    let usable = if active {
        1.0
    } else {
        c.suspended_agreement_value
    };
    let r = |area: usize| readiness(a.depth_per_agreement, b.mous[area]) * usable;
    let r_intel = with_spillover(r(AREA_INTEL), a.cyber_to_intelligence, r(AREA_CYBER));
    let r_evac = with_spillover(r(AREA_EVAC), a.maritime_to_evacuation, r(AREA_MARITIME));
    let r_rear = with_spillover(r(AREA_REAR), a.maritime_to_rear_area, r(AREA_MARITIME));
    let trust_factor = trust.powf(c.trust_exponent);

    // Intelligence (C5, F7, C12): each item flows through the channel if it is active and the
    // item is shared; its value halves every `intel_half_life_hours` of latency. The US relay
    // is an alternative path drawn from the world.
    let p_share = if active {
        d.security_mandate * (c.share_floor + (1.0 - c.share_floor) * r_intel) * trust_factor
    } else {
        0.0
    };
    // Latency (F7): a standing liaison passes every item within hours; otherwise an item goes
    // through the point of contact an intelligence MOU set up with probability r_intel, and
    // through ad hoc convening of the channel the rest of the time.
    let p_liaison = if d.standing_liaison { 1.0 } else { r_intel };
    let (mut total, mut delivered, mut via_channel) = (0.0, 0.0, 0.0);
    for _ in 0..w.intel_items {
        // World draws, always three per item.
        let u_value: f64 = streams.intel.random();
        let value = -(1.0 - u_value).ln(); // exponential(1): items differ in importance
        let relayed = streams.intel.random::<f64>() < w.relay_share;
        let relay_latency = p.us.relay_latency_hours.sample(streams.intel);
        // The design's own draws: three per item when the latencies are distributions.
        let shared = streams.design.random::<f64>() < p_share;
        let via_liaison = streams.design.random::<f64>() < p_liaison;
        let own_latency = if via_liaison {
            c.liaison_latency_hours.sample(streams.design)
        } else {
            c.adhoc_latency_hours.sample(streams.design)
        };
        let decay = |hours: f64| 0.5f64.powf(hours / c.intel_half_life_hours);
        let v_channel = if shared {
            value * decay(own_latency)
        } else {
            0.0
        };
        let v_relay = if relayed {
            value * decay(relay_latency)
        } else {
            0.0
        };
        total += value;
        via_channel += v_channel;
        delivered += v_channel.max(v_relay);
    }
    let info_exchange = if total > 0.0 { delivered / total } else { 0.0 };
    let info_via_channel = if total > 0.0 {
        via_channel / total
    } else {
        0.0
    };

    // Evacuation (C5, F1–F6). Tokyo decides after a delay that shared warning shortens;
    // scheduled flights run from the decision, organised lift (charters, and SDF aircraft only
    // with Taipei's consent, F2) from the end of coordination, until the window closes.
    let decide = w.decision_delay_days * (1.0 - c.warning_speedup * info_exchange);
    let coordinate =
        w.adhoc_coordination_days * (1.0 - r_evac) + w.agreed_coordination_days * r_evac;
    let consent = w.consent_draw < c.consent_base + (1.0 - c.consent_base) * r_evac;
    // Without an arrangement only part of the charter capacity can be used: landing slots,
    // assembly points and port access are negotiated under fire (F3, F7).
    let charter_share = c.adhoc_lift_share + (1.0 - c.adhoc_lift_share) * r_evac;
    let organised = w.organised_lift * charter_share + if consent { w.sdf_lift } else { 0.0 };
    let moved = w.commercial_lift * (w.window_days - decide).max(0.0)
        + organised * (w.window_days - decide - coordinate).max(0.0);
    let evacuation = (moved / w.people).min(1.0);

    // Rear-area support (C5): a mandated channel coordinates a little even without an MOU;
    // MOUs in the area (or maritime spill-over) raise it; trust scales it.
    let floor = if active { c.rear_area_floor } else { 0.0 };
    let rear_area = d.security_mandate * trust_factor * floor.max(r_rear);

    let composite = weights.info_exchange * info_exchange
        + weights.evacuation * evacuation
        + weights.rear_area * rear_area
        - weights.backlash * b.backlash / weights.backlash_scale;

    let scores: Scores = [
        info_exchange,
        info_via_channel,
        evacuation,
        rear_area,
        b.backlash,
        b.max_rung as f64,
        if active { 1.0 } else { 0.0 },
        agreements as f64,
        trust,
        active_share,
        composite,
    ];
    debug_assert_eq!(scores.len(), N_METRICS);
    scores
}
