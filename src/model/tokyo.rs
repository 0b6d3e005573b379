//! §5 Tokyo: whether and when it launches a design, how much coercion it bears before
//! suspending, and its memory of coercion (C6, C8, C12, C13, C19).

use super::beijing::expected_coercion;
use super::buildup::agreement_rate;
use super::World;
use crate::scenario::{Design, Form, Pace, WorldParams};

/// The most coercion a year Tokyo accepts to expect from a design it launches: `launch_share`
/// of its tolerance, times `transactional_need_factor` when Washington is transactional (C19:
/// less US cover can make Tokyo want its own channel more, or less).
pub fn launch_limit(p: &WorldParams, w: &World) -> f64 {
    let need = if w.transactional {
        p.tokyo.transactional_need_factor
    } else {
        1.0
    };
    p.tokyo.launch_share * need * w.tolerance
}

/// The month Tokyo launches `d` (the channel takes over from the status quo), or `None` when it
/// never does (C6, C8, C12). Tokyo launches only when the coercion it expects
/// ([`expected_coercion`]) is within [`launch_limit`], after deliberating
/// launch_lag_months × officialness (C6: the party 2+2 came two years after Taipei asked).
/// The status quo itself is in place from month 0.
pub fn launch_month(p: &WorldParams, d: &Design, is_status_quo: bool, w: &World) -> Option<u32> {
    if is_status_quo {
        return Some(0);
    }
    let rate = agreement_rate(p, &d.form, &d.programme);
    let expected = expected_coercion(p, &d.form, &d.programme, w.beijing_multiplier, rate);
    if expected <= launch_limit(p, w) {
        Some((w.launch_lag_months * d.form.officialness).round().max(0.0) as u32)
    } else {
        None
    }
}

/// Recent coercion above which Tokyo suspends a channel of this form: its tolerance, times
/// `exit_clause_tolerance_factor` when exit terms were agreed (C13: an orderly way out takes
/// pressure off Tokyo to suspend at all).
pub fn suspend_threshold(p: &WorldParams, f: &Form, w: &World) -> f64 {
    suspend_threshold_at(p, f, w.tolerance)
}

/// [`suspend_threshold`] at a tolerance an inject may have changed (§10).
pub fn suspend_threshold_at(p: &WorldParams, f: &Form, tolerance: f64) -> f64 {
    tolerance
        * if f.exit_clause {
            p.tokyo.exit_clause_tolerance_factor
        } else {
            1.0
        }
}

/// Trust lost per month of unagreed delay (C18): Taipei's pressure, the same policy for every
/// design, let through in full by a joint format and by `japan_led_restraint` by a Japan-led one.
pub fn pressure_per_month(p: &WorldParams, f: &Form) -> f64 {
    let pace = match f.pace {
        Pace::Joint => 1.0,
        Pace::JapanLed => p.taipei.japan_led_restraint,
    };
    p.trust.pressure_loss * p.taipei.pressure * pace
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::load_str;

    fn setup() -> (crate::scenario::Scenario, World) {
        let s = load_str("baseline", crate::scenario::BASELINE_TOML, &[])
            .expect("the baseline loads")
            .scenario;
        let w = crate::model::draw_world(&s.world, crate::engine::replication_key(1, 0));
        (s, w)
    }

    #[test]
    fn status_quo_is_in_place_and_an_indifferent_beijing_lets_everything_launch() {
        let (s, mut w) = setup();
        let sq = s.status_quo_design().expect("status quo");
        assert_eq!(launch_month(&s.world, sq, true, &w), Some(0));
        w.beijing_multiplier = 0.0;
        for d in &s.designs {
            let m = launch_month(&s.world, d, false, &w).expect("launched");
            assert_eq!(
                m,
                (w.launch_lag_months * d.form.officialness).round() as u32
            );
        }
    }

    #[test]
    fn a_timid_tokyo_launches_nothing_that_provokes() {
        // C8, C12: Tokyo weighs backlash above what a channel adds.
        let (s, mut w) = setup();
        w.tolerance = 1e-12;
        for d in s.designs.iter().filter(|d| d.form.officialness >= 0.3) {
            assert_eq!(launch_month(&s.world, d, false, &w), None, "{}", d.id);
        }
    }

    #[test]
    fn exit_terms_raise_the_suspension_threshold_and_pace_sets_pressure() {
        let (s, w) = setup();
        let mut f = s.designs[0].form.clone();
        f.exit_clause = false;
        let without = suspend_threshold(&s.world, &f, &w);
        f.exit_clause = true;
        assert!(suspend_threshold(&s.world, &f, &w) >= without);
        f.pace = Pace::Joint;
        let joint = pressure_per_month(&s.world, &f);
        f.pace = Pace::JapanLed;
        assert!(pressure_per_month(&s.world, &f) <= joint);
    }
}
