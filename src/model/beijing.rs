//! §4 Beijing: noticing a channel, irritation, the escalation ladder, and the forecast of
//! coercion Tokyo makes before launching (C9, C10, C15–C17, F12–F17).

use crate::scenario::{Area, BeijingParams, Form, Programme, WorldParams};

/// Probability that Beijing notices one meeting (C9): 1 - exp(-k × (visibility + officialness) / 2).
pub fn notice_probability(b: &BeijingParams, f: &Form) -> f64 {
    let salience = (f.visibility + f.officialness) / 2.0;
    1.0 - (-b.notice_intensity * salience).exp()
}

/// How much of a provocation survives the tacit understanding (C10, C17):
/// 1 - tacit_discount × format_consistency × (1 - visibility).
pub fn tacit_factor(b: &BeijingParams, f: &Form) -> f64 {
    1.0 - b.tacit_discount * f.format_consistency * (1.0 - f.visibility)
}

/// Official weight of a form in Beijing's eyes (C1, C9, C10):
/// officialness^exponent × (1 + mandate_weight × security_mandate).
pub fn official_weight(b: &BeijingParams, f: &Form) -> f64 {
    f.officialness.powf(b.officialness_exponent) * (1.0 + b.mandate_weight * f.security_mandate)
}

/// How much of a provocation survives agreed terms (C10, C13, C17): a channel whose
/// objectives, modality and exit were agreed first keeps visibly inside limits Beijing can
/// read, and is discounted by `agreed_terms_discount`.
pub fn terms_factor(b: &BeijingParams, f: &Form) -> f64 {
    if f.exit_clause {
        1.0 - b.agreed_terms_discount
    } else {
        1.0
    }
}

/// The form's provocation weight in this world: M × official weight × tacit factor × terms
/// factor, with M Beijing's multiplier (sensitivity × 2 × disposition).
pub fn provocation_weight(b: &BeijingParams, f: &Form, multiplier: f64) -> f64 {
    multiplier * official_weight(b, f) * tacit_factor(b, f) * terms_factor(b, f)
}

/// How sensitive an agenda is (C15, C16): the sum of its areas' weights over the reference
/// number of areas. A meeting's provocation is scaled by it, so breadth and sensitive areas
/// (intelligence, rear-area) provoke more than a narrow cyber-and-maritime agenda.
pub fn agenda_weight(p: &WorldParams, prog: &Programme) -> f64 {
    let sum: f64 = prog
        .issue_areas
        .iter()
        .map(|a| p.beijing.area_weight[a])
        .sum();
    sum / p.agreements.focus_reference_areas
}

/// Irritation one held meeting adds if noticed, before its MOUs.
pub fn meeting_irritation(p: &WorldParams, prog: &Programme, weight: f64) -> f64 {
    p.beijing.provocation_per_meeting * agenda_weight(p, prog) * weight
}

/// Irritation one MOU in `area` adds if its meeting was noticed.
pub fn agreement_irritation(p: &WorldParams, area: Area, weight: f64) -> f64 {
    p.beijing.agreement_provocation * p.beijing.area_weight[area] * weight
}

/// Probability that Beijing acts in a month at this irritation: it rises smoothly from 0,
/// reaching 63% of `act_probability` at the first rung's threshold. There is no hard zero: a
/// channel below the first rung is unlikely to draw a warning, not immune.
pub fn act_chance(b: &BeijingParams, irritation: f64) -> f64 {
    match b.rungs.first() {
        Some(r) if irritation > 0.0 => {
            b.act_probability * (1.0 - (-irritation / r.threshold).exp())
        }
        _ => 0.0,
    }
}

/// The rung Beijing uses when it acts: the highest whose threshold the irritation reaches (the
/// first rung at least), but at most one above the highest rung used so far (`max_rung`,
/// 1-based, 0 when none): Beijing climbs one step at a time.
pub fn rung_used(b: &BeijingParams, irritation: f64, max_rung: usize) -> usize {
    let reached = b
        .rungs
        .iter()
        .rposition(|r| irritation >= r.threshold)
        .unwrap_or(0);
    reached.min(max_rung)
}

/// Tokyo's forecast of the coercion a channel would draw, in ECE per year (§5). From the
/// irritation one meeting is expected to add (X, at trust 0.5) and the share r of irritation
/// that survives a month (decay, and Beijing discharging at `act_probability`): Beijing acts
/// with [`act_chance`] at the average level, inflow / (1 − r), on the rung reached by the peak
/// right after a meeting, X / (1 − r^(months between meetings)). A rough forecast: it ignores
/// the one-step climb, and Tokyo reads this world's Beijing correctly (docs/MODEL.md, Limits).
pub fn expected_coercion(
    p: &WorldParams,
    f: &Form,
    prog: &Programme,
    multiplier: f64,
    rate: f64,
) -> f64 {
    let b = &p.beijing;
    let weight = provocation_weight(b, f, multiplier);
    let mous: f64 = prog
        .issue_areas
        .iter()
        .map(|a| rate * agreement_irritation(p, a, weight))
        .sum();
    let per_meeting = notice_probability(b, f) * (meeting_irritation(p, prog, weight) + mous);
    let inflow = prog.cadence_per_year / 12.0 * per_meeting;
    if inflow <= 0.0 {
        return 0.0;
    }
    let retained = (1.0 - b.irritation_decay) * (1.0 - b.act_probability * b.discharge);
    if retained >= 1.0 {
        return 12.0 * b.act_probability * b.severity_ece(b.rungs.len().saturating_sub(1));
    }
    let average = inflow / (1.0 - retained);
    // Above 12 meetings a year several fall in one month: the burst is a month's meetings.
    let gap = (12.0 / prog.cadence_per_year).max(1.0);
    let burst = per_meeting * (prog.cadence_per_year / 12.0).max(1.0);
    let peak = burst / (1.0 - retained.powf(gap));
    let rung = b
        .rungs
        .iter()
        .rposition(|r| peak >= r.threshold)
        .unwrap_or(0);
    12.0 * act_chance(b, average) * b.severity_ece(rung)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{AreaSet, Pace};

    fn baseline() -> WorldParams {
        crate::scenario::load_str("baseline", crate::scenario::BASELINE_TOML, &[])
            .expect("the baseline loads")
            .scenario
            .world
    }

    fn form(officialness: f64, visibility: f64) -> Form {
        Form {
            authority: 0.5,
            officialness,
            security_mandate: 1.0,
            visibility,
            format_consistency: 0.5,
            domestic_exposure: 0.0,
            standing_liaison: false,
            exit_clause: false,
            pace: Pace::Joint,
        }
    }

    #[test]
    fn notice_and_tacit_values_are_stable() {
        // Value stability: these change only when §4's equations change (docs/MODEL.md §4).
        let p = baseline();
        let f = form(0.5, 0.5);
        let pn = notice_probability(&p.beijing, &f);
        assert!((pn - (1.0 - (-p.beijing.notice_intensity * 0.5f64).exp())).abs() < 1e-15);
        let t = tacit_factor(&p.beijing, &f);
        assert!((t - (1.0 - p.beijing.tacit_discount * 0.25)).abs() < 1e-15);
    }

    #[test]
    fn acting_has_no_hard_zero_and_rises_with_irritation() {
        // Issue 8: below the first rung a channel is unlikely to draw a warning, not immune.
        let b = baseline().beijing;
        let low = act_chance(&b, 0.01);
        let mid = act_chance(&b, b.rungs[0].threshold);
        let high = act_chance(&b, 10.0 * b.rungs[0].threshold);
        assert!(low > 0.0 && low < mid && mid < high && high <= b.act_probability);
        assert!((mid / b.act_probability - (1.0 - (-1.0f64).exp())).abs() < 1e-12);
        assert_eq!(act_chance(&b, 0.0), 0.0);
    }

    #[test]
    fn beijing_climbs_one_rung_at_a_time() {
        let b = baseline().beijing;
        let top = b.rungs.last().map(|r| r.threshold).unwrap_or(1.0) * 2.0;
        assert_eq!(rung_used(&b, top, 0), 0);
        assert_eq!(rung_used(&b, top, 1), 1);
        assert_eq!(rung_used(&b, top, 9), b.rungs.len() - 1);
        assert_eq!(rung_used(&b, 0.001, 3), 0);
    }

    #[test]
    fn sensitive_and_broad_agendas_provoke_more() {
        // C15, C16: intelligence and rear-area provoke more than cyber and maritime.
        let p = baseline();
        let narrow = Programme {
            cadence_per_year: 2.0,
            issue_areas: AreaSet::of(&[Area::Cyber, Area::Maritime]),
        };
        let sensitive = Programme {
            cadence_per_year: 2.0,
            issue_areas: AreaSet::of(&[Area::Intelligence, Area::RearArea]),
        };
        let all = Programme {
            cadence_per_year: 2.0,
            issue_areas: AreaSet::of(&Area::ALL),
        };
        assert!(agenda_weight(&p, &narrow) < agenda_weight(&p, &sensitive));
        assert!(agenda_weight(&p, &sensitive) < agenda_weight(&p, &all));
    }

    #[test]
    fn forecast_grows_with_officialness_and_frequency() {
        let p = baseline();
        let prog = |c| Programme {
            cadence_per_year: c,
            issue_areas: AreaSet::of(&[Area::Evacuation, Area::Maritime]),
        };
        let e = |o, c| expected_coercion(&p, &form(o, 0.5), &prog(c), 1.0, 0.2);
        assert!(e(0.2, 2.0) < e(0.6, 2.0));
        assert!(e(0.6, 2.0) < e(1.0, 2.0));
        assert!(e(0.6, 1.0) < e(0.6, 4.0));
        assert_eq!(
            expected_coercion(&p, &form(1.0, 1.0), &prog(2.0), 0.0, 0.2),
            0.0
        );
    }
}
