//! §2, §3 and §6 The build-up, month by month: launch, meetings, agreements, trust, Beijing's
//! ladder, Tokyo's postponements and suspensions, and domestic politics (C6–C10, C12–C18).

use std::ops::Range;

use rand::Rng;

use super::beijing::{
    act_chance, agreement_irritation, meeting_irritation, notice_probability, provocation_weight,
    rung_used,
};
use super::observe::{ask, Choice, Event, Observer, Point, When};
use super::tokyo::{launch_month, pressure_per_month, suspend_threshold_at};
use super::World;
use crate::scenario::{
    Area, Design, Form, InjectKind, InjectTime, PerArea, Programme, WorldParams,
};

/// Whether the channel is working.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChannelStatus {
    /// Meetings happen.
    Active,
    /// Tokyo suspended it: an agreed pause under an exit clause, or a collapse without (C13).
    Suspended {
        /// First month it may resume.
        until: f64,
        /// True when exit terms were agreed: an orderly pause, not a collapse.
        agreed: bool,
    },
    /// Domestic politics halted it until this month (C7).
    Disrupted {
        /// First month it resumes.
        until: f64,
    },
}

/// Per-area probability that one meeting yields an MOU, before the trust factor (§2, C14–C16):
/// base_rate × authority × mandate × (1 − cw + cw × consistency) × (reference / areas)^elasticity.
pub fn agreement_rate(p: &WorldParams, f: &Form, prog: &Programme) -> f64 {
    let a = &p.agreements;
    let n_areas = prog.issue_areas.len().max(1) as f64;
    a.base_rate
        * f.authority
        * f.security_mandate
        * (1.0 - a.consistency_weight + a.consistency_weight * f.format_consistency)
        * (a.focus_reference_areas / n_areas).powf(a.focus_elasticity)
}

/// What an MOU signed by a channel of this form is worth (§2, F2): authority^exponent. An
/// unofficial channel builds familiarity and ideas, not binding arrangements.
pub fn legitimacy(p: &WorldParams, f: &Form) -> f64 {
    f.authority.powf(p.agreements.authority_exponent)
}

/// The constants of the form in operation, computed once per launch.
#[derive(Clone, Copy, Debug)]
struct FormConstants {
    p_notice: f64,
    weight: f64,
    meeting_irritation: f64,
    agreement_irritation: PerArea<f64>,
    rate: f64,
    legitimacy: f64,
    pressure: f64,
    suspend_at: f64,
}

impl FormConstants {
    fn new(
        p: &WorldParams,
        form: &Form,
        prog: &Programme,
        w: &World,
        tolerance: f64,
    ) -> FormConstants {
        let b = &p.beijing;
        let weight = provocation_weight(b, form, w.beijing_multiplier);
        let mut agreement = PerArea::default();
        for a in Area::ALL {
            agreement[a] = agreement_irritation(p, a, weight);
        }
        FormConstants {
            p_notice: notice_probability(b, form),
            weight,
            meeting_irritation: meeting_irritation(p, prog, weight),
            agreement_irritation: agreement,
            rate: agreement_rate(p, form, prog),
            legitimacy: legitimacy(p, form),
            pressure: pressure_per_month(p, form),
            suspend_at: suspend_threshold_at(p, form, tolerance),
        }
    }
}

/// The state of one design's channel during the build-up.
#[derive(Clone, Debug)]
pub struct Buildup<'a> {
    p: &'a WorldParams,
    w: &'a World,
    target: &'a Design,
    /// The design in operation: the status quo until the target is launched.
    pub current: &'a Design,
    /// The form in operation: `current`'s, unless a decision changed it (§10).
    pub form: Form,
    /// Tokyo's tolerance of recent coercion: the world's, unless an inject changed it (§10).
    pub tolerance: f64,
    /// Whether Washington is transactional: the world's, unless an inject changed it (§10).
    pub transactional: bool,
    /// Which of the scenario's injects have happened (bit i for inject i).
    pub fired: u64,
    /// Month the target takes over, or `None` when Tokyo never launches it (§5).
    pub launch_month: Option<u32>,
    /// Tokyo–Taipei trust in [0, 1].
    pub trust: f64,
    /// Beijing's irritation with the channel.
    pub irritation: f64,
    /// Tokyo's memory of recent coercion (ECE, decaying).
    pub recent_coercion: f64,
    /// Peacetime coercion so far (ECE).
    pub coercion: f64,
    /// Highest rung reached, 1-based; 0 when Beijing never acted.
    pub max_rung: usize,
    /// MOUs per issue area.
    pub mous: PerArea<u32>,
    /// Per area, the product of (1 − depth × legitimacy) over the MOUs signed: 1 − readiness.
    pub unready: PerArea<f64>,
    /// Channel status.
    pub status: ChannelStatus,
    /// Months the channel was active.
    pub active_months: u32,
    /// Suspensions by Tokyo.
    pub suspensions: u32,
    /// Months of delay Taipei's pressure was charged for.
    pub pressured_months: u32,
    /// Meetings held (regular and make-up).
    pub meetings_held: u32,
    meeting_clock: f64,
    /// A meeting attempt (regular or make-up) was postponed or missed and none has been held
    /// since.
    owed: bool,
    in_operation: bool,
    k: FormConstants,
    keep: f64,
}

/// The meeting clock at the start of a channel's first month: its first meeting falls then.
fn clock_start(prog: &Programme) -> f64 {
    if prog.cadence_per_year > 0.0 {
        1.0 - prog.cadence_per_year / 12.0
    } else {
        0.0
    }
}

impl<'a> Buildup<'a> {
    /// The channel at month 0: the status quo serves until Tokyo launches `d` (§5).
    pub fn new(
        p: &'a WorldParams,
        d: &'a Design,
        status_quo: &'a Design,
        w: &'a World,
    ) -> Buildup<'a> {
        let is_status_quo = d.id == status_quo.id;
        let launch = launch_month(p, d, is_status_quo, w);
        Buildup {
            p,
            w,
            target: d,
            current: status_quo,
            form: status_quo.form.clone(),
            tolerance: w.tolerance,
            transactional: w.transactional,
            fired: 0,
            launch_month: launch,
            trust: w.trust0,
            irritation: 0.0,
            recent_coercion: 0.0,
            coercion: 0.0,
            max_rung: 0,
            mous: PerArea::default(),
            unready: PerArea([1.0; 5]),
            status: ChannelStatus::Active,
            active_months: 0,
            suspensions: 0,
            pressured_months: 0,
            meetings_held: 0,
            meeting_clock: clock_start(&status_quo.programme),
            owed: false,
            in_operation: false,
            k: FormConstants::new(p, &status_quo.form, &status_quo.programme, w, w.tolerance),
            keep: 0.5f64.powf(1.0 / p.tokyo.memory_months),
        }
    }

    /// Whether the design itself (not the status quo) was in operation by crisis onset.
    pub fn launched(&self) -> bool {
        self.in_operation
    }

    /// Total MOUs signed.
    pub fn agreements(&self) -> u32 {
        self.mous.0.iter().sum()
    }

    /// Readiness of an area's arrangements: 1 − Π(1 − depth × legitimacy) over its MOUs.
    pub fn readiness(&self, a: Area) -> f64 {
        1.0 - self.unready[a]
    }

    /// Whether the channel is active.
    pub fn active(&self) -> bool {
        self.status == ChannelStatus::Active
    }

    /// Irritation at the ladder's first rung: below it, the circumstances of an agreed pause
    /// have passed (§5).
    fn first_threshold(&self) -> f64 {
        self.p.beijing.rungs.first().map_or(0.0, |r| r.threshold)
    }

    /// The provocation weight of the form in operation (§4).
    pub fn provocation_weight(&self) -> f64 {
        self.k.weight
    }

    /// Run every month of the build-up: `own` is the design's stream, `status_quo` the status
    /// quo's, read while it is in operation.
    pub fn run<W: Rng + ?Sized, D: Rng + ?Sized>(
        &mut self,
        monthly: &mut W,
        own: &mut D,
        status_quo: &mut D,
    ) {
        self.run_months(0..self.w.buildup_months, monthly, own, status_quo);
    }

    /// Run months `months` of the build-up (streams as in [`Buildup::run`], positioned where
    /// the previous months left them), observed by no one.
    pub fn run_months<W: Rng + ?Sized, D: Rng + ?Sized>(
        &mut self,
        months: Range<u32>,
        monthly: &mut W,
        own: &mut D,
        status_quo: &mut D,
    ) {
        self.run_observed(months, monthly, own, status_quo, &mut ());
    }

    /// Run the months from `start` to the crisis, telling `obs` what happens and asking it the
    /// decision points (§10). With `()` this is [`Buildup::run_months`].
    pub fn run_from<O: Observer, W: Rng + ?Sized, D: Rng + ?Sized>(
        &mut self,
        start: u32,
        monthly: &mut W,
        own: &mut D,
        status_quo: &mut D,
        obs: &mut O,
    ) {
        self.run_observed(start..self.w.buildup_months, monthly, own, status_quo, obs);
    }

    /// Run months `months`, told to `obs`.
    fn run_observed<O: Observer, W: Rng + ?Sized, D: Rng + ?Sized>(
        &mut self,
        months: Range<u32>,
        monthly: &mut W,
        own: &mut D,
        status_quo: &mut D,
        obs: &mut O,
    ) {
        if O::ACTIVE && months.start == 0 {
            obs.event(
                When::Month(0),
                &Event::LaunchPlan {
                    design: self.target,
                    month: self.launch_month,
                },
            );
        }
        for month in months {
            if self.launch_month == Some(month) {
                let real = self.current.id != self.target.id;
                self.launch();
                if O::ACTIVE && real {
                    obs.event(
                        When::Month(month),
                        &Event::Launched {
                            design: self.target,
                        },
                    );
                }
            }
            let rng = if self.in_operation {
                &mut *own
            } else {
                &mut *status_quo
            };
            self.month_observed(month, monthly, rng, obs);
        }
    }

    /// This build-up, which must be the status quo's own (`Buildup::new(p, sq, sq, w)`, in
    /// operation since month 0), now aimed at `design` and not yet launched. After months
    /// `0..m` of the status quo, with `m` at most `design`'s launch month, it is exactly the
    /// state `Buildup::new(p, design, sq, w)` reaches after the same months: before its launch
    /// a design lives through the status quo's build-up, reading the same streams
    /// (docs/MODEL.md §5). The engine runs the status quo once per replication and forks
    /// every other design from it at its launch month.
    /// `launch_month` is [`Buildup::launch_month_of`] `design` (the caller has it already).
    pub fn fork(&self, design: &'a Design, launch_month: Option<u32>) -> Buildup<'a> {
        debug_assert!(
            self.target.id == self.current.id,
            "fork of a build-up that is not the status quo's own"
        );
        debug_assert_eq!(launch_month, self.launch_month_of(design));
        Buildup {
            target: design,
            launch_month,
            in_operation: false,
            ..self.clone()
        }
    }

    /// The month `design` would be launched in this world (`None`: never), if this build-up
    /// runs the status quo.
    pub fn launch_month_of(&self, design: &Design) -> Option<u32> {
        launch_month(self.p, design, design.id == self.current.id, self.w)
    }

    /// The design takes over from the status quo: a fresh channel, active, first meeting this
    /// month; trust, MOUs and Beijing's memory carry over.
    fn launch(&mut self) {
        self.in_operation = true;
        self.current = self.target;
        self.form = self.target.form.clone();
        self.k = FormConstants::new(
            self.p,
            &self.form,
            &self.target.programme,
            self.w,
            self.tolerance,
        );
        self.meeting_clock = clock_start(&self.target.programme);
        self.owed = false;
        self.status = ChannelStatus::Active;
    }

    /// The constants of the form in operation after a decision or an inject changed the form or
    /// Tokyo's tolerance.
    fn refresh(&mut self) {
        self.k = FormConstants::new(
            self.p,
            &self.form,
            &self.current.programme,
            self.w,
            self.tolerance,
        );
    }

    /// One month (§6 gives the order of the steps).
    pub fn month<W: Rng + ?Sized, D: Rng + ?Sized>(
        &mut self,
        m: f64,
        monthly: &mut W,
        own: &mut D,
    ) {
        self.month_observed(m as u32, monthly, own, &mut ());
    }

    /// The injects due at the start of month `m` (§10), in file order.
    fn injects<O: Observer>(&mut self, m: u32, obs: &mut O) {
        let p = self.p;
        for (i, inj) in p.injects.iter().enumerate() {
            let bit = 1u64 << i;
            let due = match inj.at {
                InjectTime::Month(at) => at == m,
                InjectTime::AfterRung(k) => self.max_rung > k,
                InjectTime::Warning => false,
            };
            if !due || self.fired & bit != 0 {
                continue;
            }
            self.fired |= bit;
            if O::ACTIVE {
                obs.event(When::Month(m), &Event::Inject { inject: inj });
            }
            match inj.kind {
                InjectKind::LiveFireDrill {
                    coercion,
                    irritation,
                } => {
                    self.recent_coercion += coercion;
                    self.irritation += irritation;
                }
                InjectKind::Leak { meetings } => {
                    let mut open = self.form.clone();
                    open.visibility = 1.0;
                    let weight = provocation_weight(&p.beijing, &open, self.w.beijing_multiplier);
                    self.irritation +=
                        meetings * meeting_irritation(p, &self.current.programme, weight);
                }
                InjectKind::GovernmentChange { tolerance_factor } => {
                    self.tolerance *= tolerance_factor;
                    self.refresh();
                }
                InjectKind::UsStatement { transactional } => {
                    if transactional != self.transactional {
                        let f = p.tokyo.transactional_tolerance_factor;
                        self.tolerance = if transactional {
                            self.tolerance * f
                        } else {
                            self.tolerance / f
                        };
                        self.transactional = transactional;
                        self.refresh();
                    }
                }
                InjectKind::ShortenedWarning { .. } => {}
            }
        }
    }

    /// Apply a decision taken at the end of month `m` (§10).
    pub fn apply(&mut self, choice: Choice, m: u32) {
        match choice {
            Choice::Pause if self.form.exit_clause && self.active() => {
                self.suspensions += 1;
                self.status = ChannelStatus::Suspended {
                    until: m as f64 + self.w.pause_months,
                    agreed: true,
                };
            }
            Choice::GoPublic => {
                self.form.visibility = 1.0;
                self.refresh();
            }
            Choice::RaiseLevel => {
                let step = self.p.tokyo.raise_step;
                self.form.officialness = (self.form.officialness + step).min(1.0);
                self.form.authority = (self.form.authority + step).min(1.0);
                self.refresh();
            }
            _ => {}
        }
    }

    /// One month, told to `obs`.
    fn month_observed<O: Observer, W: Rng + ?Sized, D: Rng + ?Sized>(
        &mut self,
        month: u32,
        monthly: &mut W,
        own: &mut D,
        obs: &mut O,
    ) {
        let m = month as f64;
        if !self.p.injects.is_empty() {
            self.injects(month, obs);
        }
        let (p, d) = (self.p, self.current);
        // World draws, the same three every month for every design (common random numbers).
        let u_shock: f64 = monthly.random();
        let u_hit: f64 = monthly.random();
        let u_act: f64 = monthly.random();

        // Domestic politics (C7): a shock hits a channel with probability = its exposure.
        if u_shock < p.tokyo.domestic_shock_rate / 12.0
            && u_hit < self.form.domestic_exposure
            && self.active()
        {
            self.status = ChannelStatus::Disrupted {
                until: m + p.tokyo.disruption_months,
            };
            self.trust = (self.trust - p.trust.disruption_loss).max(0.0);
            if O::ACTIVE {
                obs.event(
                    When::Month(month),
                    &Event::Shock {
                        until: m + p.tokyo.disruption_months,
                    },
                );
            }
        }
        // Resumption (C13, F9).
        match self.status {
            ChannelStatus::Suspended { until, agreed }
                if m >= until
                    && self.recent_coercion < p.tokyo.resume_fraction * self.tolerance
                    && (!agreed || self.irritation < self.first_threshold()) =>
            {
                self.status = ChannelStatus::Active;
                if O::ACTIVE {
                    obs.event(When::Month(month), &Event::Resumed);
                }
            }
            ChannelStatus::Disrupted { until } if m >= until => {
                self.status = ChannelStatus::Active;
                if O::ACTIVE {
                    obs.event(When::Month(month), &Event::Resumed);
                }
            }
            _ => {}
        }

        // Meetings at the programme's cadence (several in a month above 12 a year). The
        // tolerance keeps sums like 6 × (2/12) from falling a hair short of a whole meeting. A
        // postponed or missed meeting is owed: while the channel is active it is retried every
        // month until it is held, without moving the regular schedule.
        self.meeting_clock += d.programme.cadence_per_year / 12.0;
        let mut make_up = self.owed && self.active() && self.meeting_clock < 1.0 - 1e-9;
        while self.meeting_clock >= 1.0 - 1e-9 || make_up {
            if make_up {
                make_up = false;
            } else {
                self.meeting_clock -= 1.0;
            }
            // A fixed number of own draws per meeting attempt keeps a design's paths coupled
            // when a parameter changes, until the change alters how many attempts are made.
            let u_postpone: f64 = own.random();
            let u_notice: f64 = own.random();
            let mut u_areas = [0.0f64; 5];
            for u in u_areas.iter_mut() {
                *u = own.random();
            }
            if !self.active() {
                self.owed = true;
                if O::ACTIVE {
                    obs.event(When::Month(month), &Event::MeetingMissed);
                }
            } else {
                let strain = (self.recent_coercion / self.tolerance).min(1.0);
                if u_postpone < p.tokyo.postpone_sensitivity * strain {
                    self.owed = true; // Tokyo postpones (C8)
                    if O::ACTIVE {
                        obs.event(When::Month(month), &Event::MeetingPostponed);
                    }
                } else {
                    self.owed = false;
                    self.hold_meeting(u_notice < self.k.p_notice, &u_areas, month, obs);
                }
            }
        }
        // Taipei presses in every month Tokyo delays without agreement: the channel halted or a
        // postponed meeting still owed. Under agreed exit terms a pause or postponement is
        // agreed and not charged; a domestic disruption still is (C13, C18).
        let agreed =
            self.form.exit_clause && !matches!(self.status, ChannelStatus::Disrupted { .. });
        if (self.owed || !self.active()) && !agreed {
            self.trust = (self.trust - self.k.pressure).max(0.0);
            self.pressured_months += 1;
        }

        let mut climbed = None;
        // act_chance never exceeds act_probability (a product with a factor in [0, 1]), so a
        // draw at or above it decides without computing the exponential: same result.
        if u_act < p.beijing.act_probability && u_act < act_chance(&p.beijing, self.irritation) {
            climbed = self.beijing_acts(month, obs);
        }
        self.irritation *= 1.0 - p.beijing.irritation_decay;

        // Tokyo weighs coercion against the China relationship (C8, C12).
        if self.active() && self.recent_coercion > self.k.suspend_at {
            self.suspend(m);
            if O::ACTIVE {
                if let ChannelStatus::Suspended { until, agreed } = self.status {
                    obs.event(When::Month(month), &Event::Suspended { agreed, until });
                }
            }
        }
        self.recent_coercion *= self.keep;
        if self.active() {
            self.active_months += 1;
        }
        // A step up Beijing's ladder with the channel still active is a decision point (§10).
        if O::ACTIVE && self.active() {
            if let Some(rung) = climbed {
                let point = Point::Coercion {
                    rung,
                    exit_clause: self.form.exit_clause,
                };
                let choice = ask(obs, When::Month(month), point, self);
                self.apply(choice, month);
                if choice == Choice::Pause {
                    if let ChannelStatus::Suspended { until, agreed } = self.status {
                        obs.event(When::Month(month), &Event::Suspended { agreed, until });
                    }
                }
            }
        }
    }

    fn hold_meeting<O: Observer>(
        &mut self,
        noticed: bool,
        u_areas: &[f64; 5],
        month: u32,
        obs: &mut O,
    ) {
        let p = self.p;
        let agenda = self.current.programme.issue_areas;
        self.meetings_held += 1;
        self.trust += p.trust.gain_per_meeting * (1.0 - self.trust);
        if O::ACTIVE {
            obs.event(When::Month(month), &Event::MeetingHeld { noticed });
        }
        if noticed {
            self.irritation += self.k.meeting_irritation;
        }
        for (a, &u) in Area::ALL.iter().zip(u_areas) {
            if !agenda.contains(*a) {
                continue;
            }
            let prob = (self.k.rate * 2.0 * self.trust).min(1.0);
            if u < prob {
                self.mous[*a] += 1;
                self.unready[*a] *= 1.0 - p.agreements.depth_per_agreement * self.k.legitimacy;
                self.trust += p.trust.gain_per_agreement * (1.0 - self.trust);
                if O::ACTIVE {
                    obs.event(When::Month(month), &Event::Mou { area: *a });
                }
                if noticed {
                    self.irritation += self.k.agreement_irritation[*a];
                }
            }
        }
    }

    /// Beijing acts on the ladder (§4): the rung it reaches, one step above the highest so far
    /// at most; the action's severity in ECE adds to coercion and to Tokyo's memory. Returns the
    /// rung when it is higher than any before.
    fn beijing_acts<O: Observer>(&mut self, month: u32, obs: &mut O) -> Option<usize> {
        let b = &self.p.beijing;
        if b.rungs.is_empty() {
            return None;
        }
        let rung = rung_used(b, self.irritation, self.max_rung);
        let severity = b.severity_ece(rung);
        self.coercion += severity;
        self.recent_coercion += severity;
        let climbed = rung + 1 > self.max_rung;
        self.max_rung = self.max_rung.max(rung + 1);
        self.irritation *= 1.0 - b.discharge;
        if O::ACTIVE {
            obs.event(
                When::Month(month),
                &Event::BeijingActs {
                    rung,
                    severity,
                    climbed,
                },
            );
        }
        climbed.then_some(rung)
    }

    fn suspend(&mut self, m: f64) {
        let t = &self.p.tokyo;
        self.suspensions += 1;
        self.status = if self.form.exit_clause {
            ChannelStatus::Suspended {
                until: m + self.w.pause_months,
                agreed: true,
            }
        } else {
            self.trust *= 1.0 - self.p.trust.collapse_loss;
            ChannelStatus::Suspended {
                until: m + self.w.pause_months * t.collapse_resume_factor,
                agreed: false,
            }
        };
    }
}

#[cfg(test)]
mod tests {
    //! Value-stability tests of §2–§6, including the tables docs/MODEL.md quotes.
    use super::*;
    use crate::scenario::{load_str, Override, Scenario, BASELINE_TOML};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn scenario(sets: &[&str]) -> Scenario {
        let ov: Vec<Override> = sets.iter().map(|s| Override::parse(s).unwrap()).collect();
        load_str("baseline", BASELINE_TOML, &ov)
            .expect("the baseline loads")
            .scenario
    }

    fn rng(n: u64) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(n)
    }

    #[test]
    fn meeting_schedule_table() {
        // docs/MODEL.md §2: in 60 months, a channel that is never halted holds
        // 1 + floor(59 c / 12) meetings at cadence c.
        for (cadence, want) in [(1.0, 5), (1.2, 6), (2.0, 10), (4.0, 20), (24.0, 119)] {
            let c = format!("programme.cadence_per_year={cadence}");
            let s = scenario(&[
                "beijing.sensitivity=0",
                "tokyo.domestic_shock_rate=0",
                "timeline.buildup_months=60",
                &c,
            ]);
            let sq = s.status_quo_design().unwrap();
            let w = crate::model::draw_world(&s.world, crate::engine::replication_key(1, 0));
            let mut b = Buildup::new(&s.world, sq, sq, &w);
            b.run(&mut rng(1), &mut rng(2), &mut rng(3));
            assert_eq!(b.meetings_held, want, "cadence {cadence}");
            assert_eq!(b.active_months, 60);
            assert_eq!(b.coercion, 0.0);
        }
    }

    #[test]
    fn readiness_per_mou_table() {
        // docs/MODEL.md §2: one MOU at depth 0.4 gives 0.4 × legitimacy (authority^1).
        let s = scenario(&[]);
        let mut f = s.designs[0].form.clone();
        for (authority, want) in [(0.1, 0.04), (0.2, 0.08), (0.5, 0.2), (1.0, 0.4)] {
            f.authority = authority;
            let one = s.world.agreements.depth_per_agreement * legitimacy(&s.world, &f);
            assert!((one - want).abs() < 1e-12, "{authority}: {one}");
        }
    }

    #[test]
    fn agreement_rate_value_stability() {
        // §2: base 0.9 × authority 0.5 × mandate 0.8 × (0.5 + 0.5 × 0.95) × (2/3)^1.5 for the
        // trade-conference form on the three-area common programme.
        let s = scenario(&[]);
        let d = &s.designs[s.design_index("trade-conference").unwrap()];
        let r = agreement_rate(&s.world, &d.form, &d.programme);
        let want = 0.9 * 0.5 * 0.8 * 0.975 * (2.0f64 / 3.0).powf(1.5);
        assert!((r - want).abs() < 1e-12, "{r} vs {want}");
    }

    #[test]
    fn a_design_takes_over_at_its_launch_month() {
        // §5: Tokyo launches after launch_lag × officialness; until then the status quo serves.
        let s = scenario(&["beijing.sensitivity=0", "timeline.buildup_months=120"]);
        let sq = s.status_quo_design().unwrap();
        let d = &s.designs[s.design_index("executive-2plus2").unwrap()];
        let w = crate::model::draw_world(&s.world, crate::engine::replication_key(3, 0));
        let mut b = Buildup::new(&s.world, d, sq, &w);
        let at = b
            .launch_month
            .expect("an indifferent Beijing lets it launch");
        assert_eq!(
            at,
            (w.launch_lag_months * d.form.officialness).round() as u32
        );
        assert_eq!(b.current.id, "status-quo");
        b.run(&mut rng(1), &mut rng(2), &mut rng(3));
        assert!(b.launched());
        assert_eq!(b.current.id, "executive-2plus2");
    }

    #[test]
    fn agreed_pauses_are_not_charged_and_collapses_cost_trust() {
        // C13, C18: the same provocative channel, suspended by a Tokyo that bears almost
        // nothing, with and without agreed terms.
        let run = |exit: &str| {
            let e = format!("design.parliamentary-2plus2.exit_clause={exit}");
            let s = scenario(&[
                "tokyo.tolerance=0.05",
                "tokyo.launch_share=100",
                "timeline.buildup_months=120",
                &e,
            ]);
            let sq = s.status_quo_design().unwrap().clone();
            let d = s.designs[s.design_index("parliamentary-2plus2").unwrap()].clone();
            let w = crate::model::draw_world(&s.world, crate::engine::replication_key(4, 0));
            let mut b = Buildup::new(&s.world, &d, &sq, &w);
            b.run(&mut rng(1), &mut rng(2), &mut rng(3));
            (b.suspensions, b.pressured_months, b.trust)
        };
        let (n_agreed, charged_agreed, trust_agreed) = run("true");
        let (n_collapse, charged_collapse, trust_collapse) = run("false");
        assert!(n_agreed > 0 && n_collapse > 0);
        assert!(charged_agreed < charged_collapse);
        assert!(trust_agreed > trust_collapse);
    }
}
