//! §8 The crisis — Beijing's reaction to the channel's use, intelligence exchange, evacuation
//! of nationals, rear-area support — and §9 the scores (C5, C9, C11, F1–F7, S1).

use rand::Rng;

use super::buildup::legitimacy;
use super::observe::{ask, Choice, Event, IntelItem, Observer, Point, When};
use super::{Buildup, Outcome, World};
use crate::scenario::{Area, Weights, WorldParams};

/// What the channel brings to the crisis, read at onset (§8).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Onset {
    /// The channel is active (not suspended, not disrupted).
    pub active: bool,
    /// Security mandate of the form in operation.
    pub mandate: f64,
    /// Legitimacy (authority^exponent) of the form in operation.
    pub legitimacy: f64,
    /// A standing liaison exists.
    pub standing_liaison: bool,
    /// trust^trust_exponent.
    pub trust_factor: f64,
    /// Usable readiness of intelligence arrangements, with cyber spill-over.
    pub r_intel: f64,
    /// Usable readiness of evacuation arrangements, with maritime spill-over.
    pub r_evac: f64,
    /// Usable readiness of rear-area arrangements, with maritime spill-over.
    pub r_rear: f64,
}

/// Combine a main area's readiness with a spill-over area's: 1 − (1 − r)(1 − w × s).
pub fn with_spillover(r: f64, weight: f64, s: f64) -> f64 {
    1.0 - (1.0 - r) * (1.0 - weight * s)
}

impl Onset {
    /// Read the channel at onset. MOUs outlive a halted channel but only
    /// `suspended_agreement_value` of their readiness is usable without it (C13).
    pub fn of(p: &WorldParams, b: &Buildup<'_>) -> Onset {
        Onset::with_active(p, b, b.active())
    }

    /// The channel at onset, used (`active`) or not whatever its state: a decision at the
    /// warning may reopen a halted channel or stand down an active one (§10).
    pub fn with_active(p: &WorldParams, b: &Buildup<'_>, active: bool) -> Onset {
        let a = &p.agreements;
        let usable = if active {
            1.0
        } else {
            p.crisis.suspended_agreement_value
        };
        let r = |area| b.readiness(area) * usable;
        let form = &b.form;
        Onset {
            active,
            mandate: form.security_mandate,
            legitimacy: legitimacy(p, form),
            standing_liaison: form.standing_liaison,
            trust_factor: b.trust.powf(p.crisis.trust_exponent),
            r_intel: with_spillover(
                r(Area::Intelligence),
                a.cyber_to_intelligence,
                r(Area::Cyber),
            ),
            r_evac: with_spillover(
                r(Area::Evacuation),
                a.maritime_to_evacuation,
                r(Area::Maritime),
            ),
            r_rear: with_spillover(
                r(Area::RearArea),
                a.maritime_to_rear_area,
                r(Area::Maritime),
            ),
        }
    }
}

/// §8.1 Probability that Beijing escalates against Japan during the invasion (C9): using an
/// active channel adds `crisis_provocation` × the form's provocation weight to the irritation
/// Beijing brings from the build-up, and the risk at crisis irritation x is
/// x^s / (x^s + h^s), with h = `crisis_half_irritation` (a coin flip there) and s =
/// `crisis_escalation_steepness`: small provocations carry little risk, large ones most.
pub fn crisis_escalation(p: &WorldParams, irritation: f64, active: bool, weight: f64) -> f64 {
    let b = &p.beijing;
    let used = if active {
        b.crisis_provocation * weight
    } else {
        0.0
    };
    let x = (irritation + used).max(0.0);
    if x == 0.0 {
        return 0.0;
    }
    let r = (b.crisis_half_irritation / x).powf(b.crisis_escalation_steepness);
    1.0 / (1.0 + r)
}

/// The world's side of one intelligence item (§8.2), the same for every design in a crisis
/// world: its value (exponential, mean 1) and what the US relay does with it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IntelDraw {
    /// Importance of the item.
    pub value: f64,
    /// Whether the US relayed it.
    pub relayed: bool,
    /// Hours it took through the US relay (drawn whether or not it was relayed).
    pub relay_hours: f64,
    /// Value reaching Tokyo through the US relay, after its latency (0 when not relayed).
    pub v_relay: f64,
}

/// Share of an item's value left after `hours` of latency.
fn decay(half_life_hours: f64, hours: f64) -> f64 {
    0.5f64.powf(hours / half_life_hours)
}

/// What of the world [`intel_items`] reads (the relay share's bits and the number of items):
/// two crisis worlds with the same key have the same items.
pub fn intel_key(w: &World) -> (u64, u32) {
    (w.relay_share.to_bits(), w.intel_items)
}

/// Draw the crisis's `w.intel_items` intelligence items from the intelligence stream into
/// `out` (cleared first): three world draws per item when the relay latency is a distribution.
/// Every design meeting the same crisis world reads the same items, so the engine draws them
/// once per replication (again only for a design whose injects changed the US posture, see
/// [`crate::model::crisis_world`]).
pub fn intel_items(
    p: &WorldParams,
    w: &World,
    intel: &mut (impl Rng + ?Sized),
    out: &mut Vec<IntelDraw>,
) {
    out.clear();
    for _ in 0..w.intel_items {
        let u_value: f64 = intel.random();
        let value = -(1.0 - u_value).ln(); // exponential(1): items differ in importance
        let relayed = intel.random::<f64>() < w.relay_share;
        let relay_latency = p.us.relay_latency_hours.sample(intel);
        let v_relay = if relayed {
            value * decay(p.crisis.intel_half_life_hours, relay_latency)
        } else {
            0.0
        };
        out.push(IntelDraw {
            value,
            relayed,
            relay_hours: relay_latency,
            v_relay,
        });
    }
}

/// §8.2 Intelligence (C5, C12, F7): (share of the crisis's intelligence value that reached
/// Tokyo by any path, share through the channel). Each item is passed by an active channel
/// with probability mandate × legitimacy × (floor + (1 − floor) × r_intel) × trust factor; its
/// value halves every `intel_half_life_hours` of latency; the US relay is a world path.
/// `items` are the world's side ([`intel_items`]); `own` is the channel's stream.
pub fn intelligence(
    p: &WorldParams,
    w: &World,
    on: &Onset,
    items: &[IntelDraw],
    own: &mut (impl Rng + ?Sized),
) -> (f64, f64) {
    intelligence_observed(p, w, on, items, own, &mut ())
}

/// [`intelligence`], telling `obs` the fate of each item.
pub fn intelligence_observed<O: Observer>(
    p: &WorldParams,
    w: &World,
    on: &Onset,
    items: &[IntelDraw],
    own: &mut (impl Rng + ?Sized),
    obs: &mut O,
) -> (f64, f64) {
    debug_assert_eq!(
        items.len(),
        w.intel_items as usize,
        "items of another world"
    );
    let c = &p.crisis;
    let p_share = if on.active {
        on.mandate
            * on.legitimacy
            * (c.share_floor + (1.0 - c.share_floor) * on.r_intel)
            * on.trust_factor
    } else {
        0.0
    };
    // Latency (F7): a standing liaison passes every item within hours; otherwise an item goes
    // through the point of contact an intelligence MOU set up with probability r_intel, and
    // through ad hoc convening of the channel the rest of the time.
    let p_liaison = if on.standing_liaison { 1.0 } else { on.r_intel };
    let kept = |hours: f64| decay(c.intel_half_life_hours, hours);
    let (mut total, mut delivered, mut via_channel) = (0.0, 0.0, 0.0);
    for (item, x) in (0u32..).zip(items) {
        let IntelDraw {
            value,
            relayed,
            relay_hours,
            v_relay,
        } = *x;
        // The channel's own draws: three per item when the latencies are distributions.
        let shared = own.random::<f64>() < p_share;
        let via_liaison = own.random::<f64>() < p_liaison;
        let latency = if via_liaison {
            &c.liaison_latency_hours
        } else {
            &c.adhoc_latency_hours
        };
        // An item not shared still takes its latency draw, so the stream stays aligned; only
        // an observer needs its value.
        let (own_latency, v_channel) = if shared || O::ACTIVE {
            let hours = latency.sample(own);
            (hours, if shared { value * kept(hours) } else { 0.0 })
        } else {
            latency.skip(own);
            (f64::NAN, 0.0)
        };
        total += value;
        via_channel += v_channel;
        delivered += v_channel.max(v_relay);
        if O::ACTIVE {
            // Items arrive evenly through the warning.
            let day = w.warning_days * (item as f64 + 0.5) / items.len() as f64;
            obs.event(
                When::Day(day),
                &Event::Intel(IntelItem {
                    number: item + 1,
                    value,
                    channel_open: on.active,
                    shared,
                    via_liaison,
                    channel_hours: own_latency,
                    relayed,
                    relay_hours,
                    channel_value: v_channel,
                    relay_value: v_relay,
                }),
            );
        }
    }
    if total > 0.0 {
        (delivered / total, via_channel / total)
    } else {
        (0.0, 0.0)
    }
}

/// People still wishing to leave after `days` of voluntary departures at `rate` a day of those
/// remaining, on at most `seats` a day (§8.3).
pub fn early_departures(remaining: f64, rate: f64, seats: f64, days: f64) -> f64 {
    if rate <= 0.0 || seats <= 0.0 || days <= 0.0 {
        return remaining;
    }
    let saturated_above = seats / rate;
    if remaining > saturated_above {
        let t1 = (remaining - saturated_above) / seats;
        if days <= t1 {
            return remaining - seats * days;
        }
        return saturated_above * (-rate * (days - t1)).exp();
    }
    remaining * (-rate * days).exp()
}

/// §8.3 Evacuation (C5, F1–F6, S1): the share of the nationals wishing to leave who got out
/// before routes closed. Before Tokyo decides, some leave on their own on commercial seats;
/// from the decision (sooner with shared intelligence) all try: commercial seats, and from the
/// end of coordination organised lift — charters (fully usable only under an arrangement) and
/// SDF aircraft (only with Taipei's consent, F2) — up to Songshan's single-runway ceiling (F3).
pub fn evacuation(p: &WorldParams, w: &World, on: &Onset, info_exchange: f64) -> f64 {
    EvacPlan::new(p, w, on, info_exchange, false).share_out(w.window_days)
}

/// The evacuation as Tokyo can run it once it decides (§8.3): the numbers [`evacuation`]
/// reads, kept so that the tabletop can tell the evacuation day by day with the same
/// equations.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EvacPlan {
    /// Nationals and visitors wishing to leave.
    pub wishing: f64,
    /// Share of them leaving on their own each day before the decision.
    pub early_rate: f64,
    /// Commercial seats a day for Japanese nationals.
    pub commercial: f64,
    /// Day of Tokyo's evacuation decision (days since the warning).
    pub decide: f64,
    /// Days from the decision until organised lift flies.
    pub coordinate: f64,
    /// Whether Taipei consented to SDF flights in time.
    pub consent: bool,
    /// Organised lift a day (charters and SDF), after Songshan's ceiling.
    pub organised: f64,
    /// Day air and sea routes close.
    pub window: f64,
}

impl EvacPlan {
    /// The plan at the warning; `press` when Tokyo pressed Taipei for consent to SDF flights
    /// (§10), which makes it certain.
    pub fn new(p: &WorldParams, w: &World, on: &Onset, info_exchange: f64, press: bool) -> Self {
        let c = &p.crisis;
        let decide =
            (w.decision_delay_days * (1.0 - c.warning_speedup * info_exchange)).min(w.window_days);
        let coordinate =
            w.adhoc_coordination_days * (1.0 - on.r_evac) + w.agreed_coordination_days * on.r_evac;
        let consent = press || w.consent_draw < c.consent_base + (1.0 - c.consent_base) * on.r_evac;
        let charter_share = c.adhoc_lift_share + (1.0 - c.adhoc_lift_share) * on.r_evac;
        let organised = (w.organised_lift * charter_share + if consent { w.sdf_lift } else { 0.0 })
            .min(w.runway_ceiling);
        EvacPlan {
            wishing: w.people * (1.0 - w.stay_share),
            early_rate: c.early_departure_per_day,
            commercial: w.commercial_lift,
            decide,
            coordinate,
            consent,
            organised,
            window: w.window_days,
        }
    }

    /// Share of those wishing to leave who are out by day `t` (at most the window): the score
    /// at `t` = the window.
    pub fn share_out(&self, t: f64) -> f64 {
        if self.wishing <= 0.0 {
            return 1.0;
        }
        let t = t.min(self.window);
        let decided = self.decide.min(t);
        let remaining = early_departures(self.wishing, self.early_rate, self.commercial, decided);
        let after = t - decided;
        let capacity =
            self.commercial * after.max(0.0) + self.organised * (after - self.coordinate).max(0.0);
        let left = (remaining - capacity).max(0.0);
        (1.0 - left / self.wishing).clamp(0.0, 1.0)
    }
}

/// §8.4 Rear-area support (C5, C11, C19): readiness to coordinate support for US forces —
/// mandate × trust factor × max(active floor × legitimacy, r_rear) — valued in full when US
/// forces fight and at `rear_area_value_without_us` when they do not.
pub fn rear_area(p: &WorldParams, w: &World, on: &Onset) -> f64 {
    let c = &p.crisis;
    let floor = if on.active {
        c.rear_area_floor * on.legitimacy
    } else {
        0.0
    };
    let readiness = on.mandate * on.trust_factor * floor.max(on.r_rear);
    let value = if w.us_intervenes {
        1.0
    } else {
        c.rear_area_value_without_us
    };
    readiness * value
}

/// §9 The composite: weighted crisis functions minus the peacetime coercion rate and the crisis
/// escalation risk, each with its weight.
pub fn composite(weights: &Weights, o: &Outcome) -> f64 {
    weights.info_exchange * o.info_exchange
        + weights.evacuation * o.evacuation
        + weights.rear_area * o.rear_area
        - weights.coercion * o.coercion_rate
        - weights.escalation * o.crisis_escalation
}

/// Play the crisis after the build-up `b` and score the design (§8, §9). `own` is the stream
/// of the channel in operation at onset.
pub fn score(
    p: &WorldParams,
    weights: &Weights,
    w: &World,
    b: &Buildup<'_>,
    items: &[IntelDraw],
    own: &mut (impl Rng + ?Sized),
) -> Outcome {
    score_observed(p, weights, w, b, items, own, &mut ())
}

/// [`score`], telling `obs` the crisis and asking it the decisions at the warning (§10): use
/// the channel or not, press Taipei for SDF consent or not.
pub fn score_observed<O: Observer>(
    p: &WorldParams,
    weights: &Weights,
    w: &World,
    b: &Buildup<'_>,
    items: &[IntelDraw],
    own: &mut (impl Rng + ?Sized),
    obs: &mut O,
) -> Outcome {
    let mut on = Onset::of(p, b);
    let mut press = false;
    if O::ACTIVE {
        let at = When::Day(0.0);
        obs.event(
            at,
            &Event::Warning {
                days: w.warning_days,
                window: w.window_days,
                items: w.intel_items,
                active: on.active,
            },
        );
        let point = Point::CrisisChannel { active: on.active };
        let used = ask(obs, at, point, b) == Choice::Use;
        if used != on.active {
            on = Onset::with_active(p, b, used);
        }
        press = ask(obs, at, Point::SdfConsent, b) == Choice::Press;
    }
    let (info_exchange, info_via_channel) = intelligence_observed(p, w, &on, items, own, obs);
    let plan = EvacPlan::new(p, w, &on, info_exchange, press);
    if O::ACTIVE {
        obs.event(When::Day(plan.decide), &Event::Evacuation(plan));
    }
    // Pressing Taipei for SDF flights is a use of the channel Beijing sees (§10).
    let irritation = if press {
        b.irritation + p.beijing.crisis_provocation * b.provocation_weight()
    } else {
        b.irritation
    };
    let years = w.buildup_months as f64 / 12.0;
    let mut o = Outcome {
        info_exchange,
        info_via_channel,
        evacuation: plan.share_out(w.window_days),
        rear_area: rear_area(p, w, &on),
        coercion_rate: b.coercion / years,
        max_rung: b.max_rung as f64,
        crisis_escalation: crisis_escalation(p, irritation, on.active, b.provocation_weight()),
        launched: if b.launched() { 1.0 } else { 0.0 },
        channel_survived: if b.active() { 1.0 } else { 0.0 },
        agreements: b.agreements() as f64,
        trust_at_crisis: b.trust,
        active_share: b.active_months as f64 / w.buildup_months as f64,
        composite: 0.0,
    };
    o.composite = composite(weights, &o);
    if O::ACTIVE {
        obs.event(When::Day(w.window_days), &Event::Scores(&o));
    }
    o
}

#[cfg(test)]
mod tests {
    //! Value-stability and face-validity tests of §8–§9. The tables here are the ones
    //! docs/MODEL.md quotes; they break, on purpose, when an equation changes.
    use super::*;
    use crate::scenario::{load_str, Scenario, BASELINE_TOML};

    fn baseline() -> Scenario {
        load_str("baseline", BASELINE_TOML, &[])
            .expect("the baseline loads")
            .scenario
    }

    fn world(s: &Scenario) -> World {
        crate::model::draw_world(&s.world, crate::engine::replication_key(2049, 0))
    }

    fn onset(r: f64, active: bool) -> Onset {
        Onset {
            active,
            mandate: 1.0,
            legitimacy: 1.0,
            standing_liaison: false,
            trust_factor: 0.5,
            r_intel: r,
            r_evac: r,
            r_rear: r,
        }
    }

    #[test]
    fn spillover_combines_as_independent_chances() {
        assert!((with_spillover(0.0, 0.3, 1.0) - 0.3).abs() < 1e-15);
        assert!((with_spillover(0.5, 0.3, 0.5) - 0.575).abs() < 1e-12);
        assert_eq!(with_spillover(1.0, 0.3, 0.0), 1.0);
    }

    #[test]
    fn escalation_risk_table() {
        // docs/MODEL.md §8.1 at the defaults h = 9, s = 2: risk = x² / (x² + 81).
        let s = baseline();
        let risk = |x| crisis_escalation(&s.world, x, false, 0.0);
        for (x, want) in [
            (0.0, 0.0),
            (1.0, 1.0 / 82.0),
            (3.0, 0.1),
            (9.0, 0.5),
            (18.0, 0.8),
        ] {
            assert!(
                (risk(x) - want).abs() < 1e-12,
                "x = {x}: {} vs {want}",
                risk(x)
            );
        }
        // Using an active channel adds crisis_provocation × weight.
        let used = crisis_escalation(&s.world, 0.0, true, 0.5);
        assert!((used - risk(s.world.beijing.crisis_provocation * 0.5)).abs() < 1e-15);
    }

    #[test]
    fn early_departures_follow_the_seat_limit_then_the_rate() {
        // Capacity never binds: exponential decay.
        let r = early_departures(1000.0, 0.02, 1e6, 10.0);
        assert!((r - 1000.0 * (-0.2f64).exp()).abs() < 1e-9);
        // 100 seats a day at a rate of 0.02: the seats bind while more than 5,000 remain.
        assert_eq!(early_departures(10_000.0, 0.02, 100.0, 10.0), 9_000.0);
        let t1 = (10_000.0 - 5_000.0) / 100.0;
        let after = early_departures(10_000.0, 0.02, 100.0, t1 + 5.0);
        assert!((after - 5_000.0 * (-0.1f64).exp()).abs() < 1e-9);
        // Continuous at the switch, and nothing moves without seats, rate or time.
        assert!((early_departures(10_000.0, 0.02, 100.0, t1) - 5_000.0).abs() < 1e-9);
        assert_eq!(early_departures(7.0, 0.0, 100.0, 3.0), 7.0);
        assert_eq!(early_departures(7.0, 0.1, 0.0, 3.0), 7.0);
        assert_eq!(early_departures(7.0, 0.1, 100.0, 0.0), 7.0);
    }

    #[test]
    fn an_evacuation_arrangement_moves_more_people() {
        // C5, F2, F7: with a full arrangement coordination is quick, charters fully usable and
        // SDF consent certain; never worse than without, whatever the world.
        let s = baseline();
        for rep in 0..200 {
            let w = crate::model::draw_world(&s.world, crate::engine::replication_key(5, rep));
            let none = evacuation(&s.world, &w, &onset(0.0, true), 0.0);
            let full = evacuation(&s.world, &w, &onset(1.0, true), 0.0);
            assert!(full >= none, "replication {rep}: {full} < {none}");
            assert!((0.0..=1.0).contains(&none) && (0.0..=1.0).contains(&full));
        }
    }

    #[test]
    fn songshans_runway_caps_organised_lift() {
        // F3: a lower runway ceiling can only lower evacuation.
        let s = baseline();
        let mut w = world(&s);
        let on = onset(1.0, true);
        let open = evacuation(&s.world, &w, &on, 0.0);
        w.runway_ceiling = 0.0;
        assert!(evacuation(&s.world, &w, &on, 0.0) <= open);
    }

    #[test]
    fn evacuation_value_stability() {
        // One world of the baseline (seed 2049, replication 0), without and with an
        // arrangement. Breaks when §8.3 or the world draw changes.
        let s = baseline();
        let w = world(&s);
        let a = evacuation(&s.world, &w, &onset(0.0, true), 0.0);
        let b = evacuation(&s.world, &w, &onset(1.0, true), 1.0);
        assert_eq!((a, b), (0.8072604005490843, 1.0), "{a:?} {b:?}");
    }

    #[test]
    fn rear_area_is_worth_less_when_us_forces_do_not_fight() {
        // C11, C19.
        let s = baseline();
        let mut w = world(&s);
        w.us_intervenes = true;
        let fight = rear_area(&s.world, &w, &onset(0.5, true));
        w.us_intervenes = false;
        let stay_out = rear_area(&s.world, &w, &onset(0.5, true));
        assert!((stay_out - fight * s.world.crisis.rear_area_value_without_us).abs() < 1e-15);
        // A halted channel keeps only its arrangements, no floor.
        assert_eq!(rear_area(&s.world, &w, &onset(0.0, false)), 0.0);
    }

    #[test]
    fn composite_is_the_documented_weighted_sum() {
        let s = baseline();
        let o = Outcome {
            info_exchange: 0.2,
            evacuation: 0.8,
            rear_area: 0.1,
            coercion_rate: 0.4,
            crisis_escalation: 0.05,
            ..Outcome::default()
        };
        let w = &s.weights;
        let want = w.info_exchange * 0.2 + w.evacuation * 0.8 + w.rear_area * 0.1
            - w.coercion * 0.4
            - w.escalation * 0.05;
        assert_eq!(composite(w, &o), want);
    }
}
