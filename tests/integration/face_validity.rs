//! Face-validity tests of model v2: each encodes a claim of the source analysis
//! (docs/SOURCES.md) or a requirement of issue 8, runs with common random numbers (seed 11) on
//! enough replications that the result is not noise, and compares with the paired 95% interval
//! rather than point estimates where a difference is claimed.

use dialogue_wargame::engine::Plan;
use dialogue_wargame::metric::{Metric, N_METRICS};
use dialogue_wargame::scenario::{self, Design, Override, Scenario, BASELINE_TOML};
use dialogue_wargame::stats::{self, RunAccumulator};

const REPS: u64 = 4000;

fn load_text(name: &str, text: &str, sets: &[String]) -> Scenario {
    let ov: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
    scenario::load_str(name, text, &ov)
        .unwrap_or_else(|e| panic!("{e}"))
        .scenario
}

fn load(sets: &[&str]) -> Scenario {
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load_text("baseline", BASELINE_TOML, &sets)
}

fn builtin(name: &str, sets: &[&str]) -> Scenario {
    let text = scenario::BUILTIN
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, t)| *t)
        .unwrap();
    let sets: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    load_text(name, text, &sets)
}

/// A design as an `[[add_design]]` block under a new id, with its own programme written out
/// only when it has one.
fn design_block(d: &Design, id: &str) -> String {
    let f = &d.form;
    let mut s = format!(
        "\n[[add_design]]\nid = \"{id}\"\nname = \"Copy of {}\"\nauthority = {}\n\
         officialness = {}\nsecurity_mandate = {}\nvisibility = {}\nformat_consistency = {}\n\
         domestic_exposure = {}\nstanding_liaison = {}\nexit_clause = {}\npace = \"{}\"\n",
        d.id,
        f.authority,
        f.officialness,
        f.security_mandate,
        f.visibility,
        f.format_consistency,
        f.domestic_exposure,
        f.standing_liaison,
        f.exit_clause,
        f.pace.name()
    );
    if d.own_programme {
        let areas: Vec<String> = d
            .programme
            .issue_areas
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect();
        s += &format!(
            "cadence_per_year = {}\nissue_areas = [{}]\n",
            d.programme.cadence_per_year,
            areas.join(", ")
        );
    }
    s
}

/// The baseline (with `sets`) plus copies of `original` under each id, each with its
/// `design.ID.KEY=VALUE` changes: controlled comparisons under common random numbers. Before
/// its changes a copy equals the original in everything but id and name.
fn with_copies(sets: &[&str], original: &str, copies: &[(&str, &[&str])]) -> Scenario {
    let plain = load(sets);
    let orig = &plain.designs[plain.design_index(original).unwrap()];
    let mut text = BASELINE_TOML.to_string();
    let mut all: Vec<String> = sets.iter().map(|s| s.to_string()).collect();
    for (id, changes) in copies {
        text += &design_block(orig, id);
        all.extend(changes.iter().map(|c| format!("design.{id}.{c}")));
    }
    let check = load_text(
        "copies",
        &text,
        &sets.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    );
    for (id, _) in copies {
        let c = &check.designs[check.design_index(id).unwrap()];
        assert_eq!(c.form, orig.form, "{id}");
        assert_eq!(c.programme, orig.programme, "{id}");
    }
    load_text("copies", &text, &all)
}

/// Run every design of `sc` against `baseline`, seed 11.
fn run(sc: &Scenario, baseline: &str, reps: u64) -> Run {
    let b = sc.design_index(baseline).unwrap();
    let plan = Plan::new(
        sc,
        (0..sc.designs.len()).collect(),
        b,
        11,
        vec![None; N_METRICS],
    );
    let mut acc = plan.accumulator();
    plan.run(0..reps, &mut acc, None, &|_| {}, &|| false)
        .unwrap();
    Run {
        acc,
        ids: sc.designs.iter().map(|d| d.id.clone()).collect(),
    }
}

struct Run {
    acc: RunAccumulator,
    ids: Vec<String>,
}

impl Run {
    fn d(&self, id: &str) -> usize {
        self.ids.iter().position(|i| i == id).unwrap()
    }

    fn mean(&self, id: &str, m: Metric) -> f64 {
        self.acc.metric(self.d(id), m.index()).moments.mean()
    }

    /// Paired 95% interval of (design − the run's baseline) on `m`: (mean, low, high).
    fn diff(&self, id: &str, m: Metric) -> (f64, f64, f64) {
        let (mean, _, lo, hi) = stats::mean_interval(&self.acc.pair(self.d(id), m.index()).diff);
        (mean, lo, hi)
    }

    fn highest_mean(&self, m: Metric) -> &str {
        let best = (0..self.ids.len())
            .max_by(|&a, &b| {
                let (x, y) = (
                    self.acc.metric(a, m.index()).moments.mean(),
                    self.acc.metric(b, m.index()).moments.mean(),
                );
                x.total_cmp(&y)
            })
            .unwrap();
        &self.ids[best]
    }
}

#[test]
fn identical_forms_score_alike() {
    // Issue 8: two designs with identical parameters score the same (in distribution: each
    // reads its own stream once launched, so only noise separates them).
    let sc = with_copies(&[], "trade-conference", &[("twin", &[])]);
    let r = run(&sc, "trade-conference", REPS);
    for m in Metric::ALL {
        // Thirteen metrics at once: allow 3.5 standard errors (about 99.95% each).
        let (d, lo, hi) = r.diff("twin", m);
        let se = (hi - lo) / (2.0 * 1.96);
        assert!(
            d.abs() <= 3.5 * se,
            "{}: twin differs by {d} [{lo}, {hi}]",
            m.name()
        );
    }
}

#[test]
fn c8_c12_a_design_never_launched_scores_exactly_as_the_status_quo() {
    // C8, C12 (§5): a Tokyo that bears no coercion launches nothing that provokes, and a design
    // never launched leaves today's channel in place: the same scores, replication by
    // replication.
    let sc = load(&["tokyo.tolerance=1e-9"]);
    let r = run(&sc, "status-quo", 2000);
    for id in [
        "executive-2plus2",
        "parliamentary-2plus2",
        "trade-conference",
    ] {
        assert_eq!(r.mean(id, Metric::Launched), 0.0, "{id}");
        for m in Metric::ALL.into_iter().filter(|&m| m != Metric::Launched) {
            let p = &r.acc.pair(r.d(id), m.index()).diff;
            assert_eq!((p.mean(), p.variance()), (0.0, 0.0), "{id} {}", m.name());
        }
    }
}

#[test]
fn c14_c17_under_todays_beijing_the_trade_conference_form_leads() {
    // C14-C17: a semi-official, consistent, low-key, Japan-led forum with agreed terms is the
    // essay's model. With the common programme it beats every other form significantly; Tokyo
    // almost never launches the executive 2+2 (C3: nobody proposes it; C8), and the
    // parliamentary 2+2 (C6, F10) falls below today's channel.
    let r = run(&load(&[]), "trade-conference", REPS);
    assert_eq!(r.highest_mean(Metric::Composite), "trade-conference");
    for id in r.ids.iter().filter(|i| *i != "trade-conference") {
        let (d, _, hi) = r.diff(id, Metric::Composite);
        assert!(
            hi < 0.0,
            "{id} should trail trade-conference: {d}, high {hi}"
        );
    }
    let r = run(&load(&[]), "status-quo", REPS);
    assert!(r.mean("executive-2plus2", Metric::Launched) < 0.01);
    let (d, _, hi) = r.diff("parliamentary-2plus2", Metric::Composite);
    assert!(
        hi < 0.0,
        "parliamentary-2plus2 should trail the status quo: {d}"
    );
    for id in [
        "trade-conference",
        "gov-think-tank",
        "track-1.5",
        "former-officials",
    ] {
        let (d, lo, _) = r.diff(id, Metric::Composite);
        assert!(lo > 0.0, "{id} should beat the status quo: {d}");
    }
}

#[test]
fn c9_an_indifferent_beijing_makes_the_executive_2plus2_best() {
    // C9, C12: Beijing's reaction is what holds the ministerial channel back; without it the
    // most authoritative form, with its hotline, leads.
    let r = run(&load(&["beijing.sensitivity=0"]), "trade-conference", REPS);
    assert_eq!(r.highest_mean(Metric::Composite), "executive-2plus2");
    let (d, lo, _) = r.diff("executive-2plus2", Metric::Composite);
    assert!(lo > 0.0, "{d}");
    for id in &r.ids {
        assert_eq!(r.mean(id, Metric::CoercionRate), 0.0, "{id}");
        assert_eq!(r.mean(id, Metric::CrisisEscalation), 0.0, "{id}");
    }
}

#[test]
fn c9_c12_a_hypersensitive_beijing_reorders_the_forms() {
    // C9, C12, F12: under a hypersensitive Beijing Tokyo holds back most forms (C8), the
    // committee of former officials falls below today's channel, the low-key track-2 overtakes
    // the committee, the two 2+2s are almost never launched, and the trade-conference lead over the
    // status quo shrinks; under today's Beijing the committee beats both.
    let hyper = builtin("hypersensitive-beijing", &[]);
    let r = run(&hyper, "status-quo", REPS);
    let (d, _, hi) = r.diff("former-officials", Metric::Composite);
    assert!(
        hi < 0.0,
        "former-officials should fall below the status quo: {d}"
    );
    for id in ["executive-2plus2", "parliamentary-2plus2"] {
        assert!(r.mean(id, Metric::Launched) < 0.01, "{id}");
    }
    let today = run(&load(&[]), "status-quo", REPS);
    for id in ["trade-conference", "gov-think-tank", "former-officials"] {
        let (h, t) = (
            r.mean(id, Metric::Launched),
            today.mean(id, Metric::Launched),
        );
        assert!(h < t - 0.3, "{id}: launched in {h} of worlds, {t} today");
    }
    let (hyper_lead, _, _) = r.diff("trade-conference", Metric::Composite);
    let base = run(&load(&[]), "status-quo", REPS);
    let (d, lo, _) = base.diff("former-officials", Metric::Composite);
    assert!(
        lo > 0.0,
        "former-officials should beat the status quo today: {d}"
    );
    let (base_lead, _, _) = base.diff("trade-conference", Metric::Composite);
    assert!(hyper_lead < base_lead, "{hyper_lead} vs {base_lead}");
    // A flip: the low-key track-2 overtakes the committee of former officials.
    let h = run(&hyper, "former-officials", REPS);
    let (d, lo, _) = h.diff("track-2", Metric::Composite);
    assert!(
        lo > 0.0,
        "track-2 should beat former-officials under a hypersensitive Beijing: {d}"
    );
    let b = run(&load(&[]), "former-officials", REPS);
    let (d, _, hi) = b.diff("track-2", Metric::Composite);
    assert!(hi < 0.0, "former-officials should lead track-2 today: {d}");
}

#[test]
fn c3_f2_a_very_frequent_unofficial_channel_does_not_beat_official_forms_in_a_crisis() {
    // C3, F2: scholars meeting weekly build familiarity, not arrangements that bind
    // governments; they must not beat the semi-official forms on any crisis function.
    let r = run(
        &load(&["design.track-2.cadence_per_year=52"]),
        "track-2",
        REPS,
    );
    for m in [Metric::InfoExchange, Metric::Evacuation, Metric::RearArea] {
        let (d, lo, _) = r.diff("trade-conference", m);
        assert!(
            lo > 0.0,
            "trade-conference should beat weekly track-2 on {}: {d}",
            m.name()
        );
    }
    let r = run(
        &load(&[
            "design.track-2.cadence_per_year=52",
            "beijing.sensitivity=0",
        ]),
        "track-2",
        REPS,
    );
    for m in [Metric::InfoExchange, Metric::Evacuation, Metric::RearArea] {
        let (d, lo, _) = r.diff("executive-2plus2", m);
        assert!(
            lo > 0.0,
            "the executive 2+2 should beat weekly track-2 on {}: {d}",
            m.name()
        );
    }
}

#[test]
fn f2_what_an_agreement_is_worth_depends_on_who_signed_it() {
    // F2: SDF evacuation needs a government-to-government arrangement; the same forum with
    // scholars' authority signs MOUs that bind nobody, so evacuation suffers.
    let sc = with_copies(&[], "trade-conference", &[("scholars", &["authority=0.1"])]);
    let r = run(&sc, "trade-conference", REPS);
    for m in [Metric::Evacuation, Metric::InfoExchange, Metric::RearArea] {
        let (d, _, hi) = r.diff("scholars", m);
        assert!(hi < 0.0, "{}: {d}", m.name());
    }
}

#[test]
fn the_composite_does_not_drift_with_the_length_of_the_build_up() {
    // Issue 8: coercion is a rate per year, so a longer horizon does not pile up penalties;
    // agreements saturate, so no design's composite falls as the horizon grows.
    let short = run(&load(&["timeline.buildup_months=60"]), "status-quo", 2000);
    let long = run(&load(&["timeline.buildup_months=240"]), "status-quo", 2000);
    for id in &short.ids {
        let (a, b) = (
            short.mean(id, Metric::CoercionRate),
            long.mean(id, Metric::CoercionRate),
        );
        assert!(
            b <= 2.0 * a + 0.01,
            "{id}: coercion rate {a} at 5 years, {b} at 20"
        );
        let (a, b) = (
            short.mean(id, Metric::Composite),
            long.mean(id, Metric::Composite),
        );
        assert!(b >= a - 0.05, "{id}: composite {a} at 5 years, {b} at 20");
    }
}

#[test]
fn f13_f15_rescaling_the_ladder_changes_nothing() {
    // F13-F15: coercion is counted in economic-coercion equivalents, so multiplying every
    // severity by ten leaves every score unchanged, and even doubling only the top rung's
    // weight changes no design's sign against the status quo.
    let sets: Vec<String> = (0..4)
        .map(|k| {
            let sev = [0.05, 0.2, 1.0, 3.0][k] * 10.0;
            format!("beijing.rung.{k}.severity={sev}")
        })
        .collect();
    let plain = load(&[]);
    let ten = {
        let mut sc = plain.clone();
        for r in sc.world.beijing.rungs.iter_mut() {
            r.severity *= 10.0;
        }
        sc
    };
    drop(sets);
    let a = run(&plain, "status-quo", 1000);
    let b = run(&ten, "status-quo", 1000);
    for id in &a.ids {
        for m in Metric::ALL {
            assert_eq!(a.mean(id, m), b.mean(id, m), "{id} {}", m.name());
        }
    }
    let mut heavy = plain.clone();
    if let Some(top) = heavy.world.beijing.rungs.last_mut() {
        top.severity *= 2.0;
    }
    let h = run(&heavy, "status-quo", REPS);
    let a = run(&plain, "status-quo", REPS);
    for id in a.ids.iter().filter(|i| *i != "status-quo") {
        let (x, _, _) = a.diff(id, Metric::Composite);
        let (y, _, _) = h.diff(id, Metric::Composite);
        assert_eq!(x > 0.0, y > 0.0, "{id}: {x} against {y}");
    }
}

#[test]
fn c13_agreed_terms_never_make_a_design_worse() {
    // C13: agreeing objectives, modality and the circumstances of a pause first makes a pause
    // orderly: no trust lost, no pressure, quicker resumption, less need to suspend, and a
    // channel Beijing can read. Other things equal (Tokyo's launch decisions held fixed: every
    // design launched), no design is worse with agreed terms than without, in every shipped
    // world. (Agreed terms also make Tokyo launch a design more often, which helps a design
    // worth having and hurts one that is not: docs/MODEL.md §5.)
    for scenario in ["baseline", "hypersensitive-beijing", "transactional-us"] {
        let mut with = vec!["tokyo.launch_share=100".to_string()];
        let mut without = with.clone();
        for d in &builtin(scenario, &[]).designs {
            with.push(format!("design.{}.exit_clause=true", d.id));
            without.push(format!("design.{}.exit_clause=false", d.id));
        }
        let w: Vec<&str> = with.iter().map(String::as_str).collect();
        let wo: Vec<&str> = without.iter().map(String::as_str).collect();
        let a = run(&builtin(scenario, &w), "status-quo", REPS);
        let b = run(&builtin(scenario, &wo), "status-quo", REPS);
        for id in &a.ids {
            let (x, y) = (a.mean(id, Metric::Composite), b.mean(id, Metric::Composite));
            assert!(
                x >= y - 1e-3,
                "{scenario} {id}: {x} with agreed terms, {y} without"
            );
            let (x, y) = (
                a.mean(id, Metric::TrustAtCrisis),
                b.mean(id, Metric::TrustAtCrisis),
            );
            assert!(
                x >= y - 1e-3,
                "{scenario} {id}: trust {x} with, {y} without"
            );
        }
    }
}

#[test]
fn c8_c12_tokyos_tolerance_decides_the_survival_of_several_designs() {
    // C8, C12: Tokyo weighs coercion above what a channel adds. A Tokyo that bears a tenth of
    // today's coercion launches, or keeps, significantly fewer of several designs.
    let timid =
        load(&["tokyo.tolerance={ dist = \"triangular\", min = 0.05, mode = 0.15, max = 0.4 }"]);
    let a = run(&load(&[]), "status-quo", REPS);
    let b = run(&timid, "status-quo", REPS);
    let hit: Vec<&String> = a
        .ids
        .iter()
        .filter(|id| {
            let survived =
                |r: &Run| r.mean(id, Metric::Launched) * r.mean(id, Metric::ChannelSurvived);
            survived(&b) < survived(&a) - 0.05
        })
        .collect();
    assert!(hit.len() >= 3, "only {hit:?} changed");
}

#[test]
fn c19_a_transactional_us_lowers_rear_area_value_and_relayed_intelligence() {
    // C19: whether the US would intervene is in doubt; rear-area support is support to US
    // forces, so it is worth less, and Washington relays less.
    let rel = run(&load(&["us.p_transactional=0"]), "status-quo", REPS);
    let tra = run(&load(&["us.p_transactional=1"]), "status-quo", REPS);
    for id in ["trade-conference", "gov-think-tank", "track-1.5"] {
        let (a, b) = (
            rel.mean(id, Metric::RearArea),
            tra.mean(id, Metric::RearArea),
        );
        assert!(
            b < 0.8 * a,
            "{id}: rear area {b} transactional, {a} reliable"
        );
    }
    let (a, b) = (
        rel.mean("status-quo", Metric::InfoExchange),
        tra.mean("status-quo", Metric::InfoExchange),
    );
    assert!(b < a - 0.02, "transactional {b} vs reliable {a}");
}

#[test]
fn c15_a_focused_agenda_is_not_beaten_by_the_same_forum_doing_everything() {
    // C15, C16: piecemeal and issue-targeted. The trade-conference forum on two areas against
    // the same forum on all five, other things equal.
    let sc = with_copies(
        &[],
        "trade-conference",
        &[
            ("focused", &["issue_areas=[\"evacuation\", \"maritime\"]"]),
            (
                "everything",
                &["issue_areas=[\"intelligence\", \"evacuation\", \"cyber\", \"maritime\", \"rear-area\"]"],
            ),
        ],
    );
    let r = run(&sc, "focused", REPS);
    let (d, _, hi) = r.diff("everything", Metric::Composite);
    assert!(
        hi < 0.0,
        "doing everything should not beat the focused agenda: {d}"
    );
    let (d, lo, _) = r.diff("everything", Metric::CoercionRate);
    assert!(lo > 0.0, "a broad, sensitive agenda provokes more: {d}");
}

#[test]
fn c17_a_consistent_format_draws_less_coercion() {
    // C17: a consistent format limits the fallout. The trade-conference form with an
    // improvised format, under common random numbers.
    let sc = with_copies(
        &[],
        "trade-conference",
        &[("improvised", &["format_consistency=0.2"])],
    );
    let r = run(&sc, "trade-conference", REPS);
    let (d, lo, _) = r.diff("improvised", Metric::CoercionRate);
    assert!(lo > 0.0, "{d}");
}

#[test]
fn c18_taipeis_restraint_protects_trust_in_a_joint_format() {
    // C18: Taipei's pressure when Japan delays erodes trust; it is Taipei's policy, so
    // restraint helps every joint-format design, and a Japan-led format absorbs most of it.
    let calm = run(&load(&["taipei.pressure=0"]), "status-quo", REPS);
    let hard = run(&load(&["taipei.pressure=1"]), "status-quo", REPS);
    for id in ["parliamentary-2plus2", "track-1.5"] {
        let (a, b) = (
            calm.mean(id, Metric::TrustAtCrisis),
            hard.mean(id, Metric::TrustAtCrisis),
        );
        assert!(b < a - 0.01, "{id}: trust {b} under pressure, {a} without");
    }
    let led = run(
        &load(&[
            "taipei.pressure=1",
            "design.parliamentary-2plus2.pace=japan-led",
        ]),
        "status-quo",
        REPS,
    );
    assert!(
        led.mean("parliamentary-2plus2", Metric::TrustAtCrisis)
            > hard.mean("parliamentary-2plus2", Metric::TrustAtCrisis)
    );
}

#[test]
fn f7_a_standing_liaison_speeds_intelligence() {
    // F7: communication through representative offices was "not sufficiently adequate for an
    // emergency"; the same form with a standing hotline delivers more intelligence value.
    let sc = with_copies(
        &[],
        "trade-conference",
        &[("hotline", &["standing_liaison=true"])],
    );
    let r = run(&sc, "trade-conference", REPS);
    let (d, lo, _) = r.diff("hotline", Metric::InfoViaChannel);
    assert!(lo > 0.0, "{d}");
    // Nothing Beijing sees changed.
    let (b, blo, bhi) = r.diff("hotline", Metric::CoercionRate);
    assert!(blo <= 0.0 && bhi >= 0.0, "{b} [{blo}, {bhi}]");
}

#[test]
fn c4_c13_a_halted_channel_carries_no_intelligence() {
    // C4, C13, F9: a channel that is suspended or halted at onset passes nothing in the
    // crisis, replication by replication.
    let sc = load(&[]);
    let n = sc.designs.len();
    let plan = Plan::new(&sc, (0..n).collect(), 0, 11, vec![None; N_METRICS]);
    let mut out = vec![[0.0; N_METRICS]; n];
    let (survived, via) = (
        Metric::ChannelSurvived.index(),
        Metric::InfoViaChannel.index(),
    );
    let mut halted = 0;
    for rep in 0..2000 {
        plan.replicate(rep, &mut out);
        for (d, s) in out.iter().enumerate() {
            if s[survived] == 0.0 {
                halted += 1;
                assert_eq!(s[via], 0.0, "{} replication {rep}", sc.designs[d].id);
            }
        }
    }
    assert!(
        halted > 500,
        "only {halted} halted channels: the test proves little"
    );
}

#[test]
fn every_score_varies_across_worlds_for_every_design() {
    // Issue 8: no degenerate metric. Every score varies across worlds for every design. The
    // exceptions are by construction: the status quo is in place from the start and, with no
    // domestic exposure and too little provocation to be suspended, never halted; track-2 is
    // too unofficial for Tokyo ever to hold back, and the executive 2+2 is launched in about
    // three worlds in ten thousand.
    let sc = load(&[]);
    let r = run(&sc, "status-quo", 2000);
    for id in &r.ids {
        for m in Metric::ALL {
            let exempt = match id.as_str() {
                "status-quo" => matches!(
                    m,
                    Metric::Launched | Metric::ChannelSurvived | Metric::ActiveShare
                ),
                // Never held back.
                "track-2" => m == Metric::Launched,
                // C3, C8: almost never launched, so almost always today's channel.
                "executive-2plus2" => matches!(
                    m,
                    Metric::Launched | Metric::ChannelSurvived | Metric::ActiveShare
                ),
                _ => false,
            };
            if exempt {
                continue;
            }
            let mo = &r.acc.metric(r.d(id), m.index()).moments;
            assert!(mo.variance() > 0.0, "{id} {} is constant", m.name());
        }
    }
}

#[test]
fn scores_stay_in_their_ranges() {
    let sc = load(&[]);
    let r = run(&sc, "status-quo", 2000);
    for id in &r.ids {
        for m in Metric::ALL {
            let mo = &r.acc.metric(r.d(id), m.index()).moments;
            let (lo, hi) = m.valid_range();
            assert!(
                mo.min_value() >= lo && mo.max_value() <= hi,
                "{id} {}: [{}, {}]",
                m.name(),
                mo.min_value(),
                mo.max_value()
            );
        }
        let top = sc.world.beijing.rungs.len() as f64;
        assert!(
            r.acc
                .metric(r.d(id), Metric::MaxRung.index())
                .moments
                .max_value()
                <= top
        );
    }
}

#[test]
fn c9_the_ladder_is_climbed_one_rung_at_a_time_and_reported_per_rung() {
    // C9, F12-F17: ladder.csv gives P(Beijing reached rung k or higher); it cannot rise with
    // k, and the more official the form, the likelier each rung.
    let d = super::util::Dir::new();
    d.run(&["run", "-n", "2000", "--out", "o", "-q"]).ok();
    let text = d.read("o/ladder.csv");
    let mut rows: Vec<(String, usize, f64)> = Vec::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        rows.push((
            f[0].to_string(),
            f[1].parse().unwrap(),
            f[3].parse().unwrap(),
        ));
    }
    assert_eq!(rows.len(), 8 * 4);
    for w in rows.windows(2) {
        if w[0].0 == w[1].0 {
            assert!(w[1].2 <= w[0].2, "{w:?}");
        }
    }
    let p = |id: &str, k: usize| {
        rows.iter()
            .find(|r| r.0 == id && r.1 == k)
            .map(|r| r.2)
            .unwrap()
    };
    assert!(p("parliamentary-2plus2", 2) > p("track-1.5", 2));
    assert!(p("track-1.5", 2) > p("status-quo", 2));
}
