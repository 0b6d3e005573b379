//! The build-up years, month by month: meetings, agreements, trust, Beijing's ladder, Tokyo's
//! suspensions and domestic politics (C7–C10, C12–C18; docs/MODEL.md §2–§5).

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::{notice_probability, official_weight, tacit_factor, World};
use crate::scenario::{Design, Pace, WorldParams, ISSUE_AREAS};

/// Whether the channel is working.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ChannelStatus {
    /// Meetings happen.
    Active,
    /// Tokyo suspended it; `collapse` when no exit clause had been agreed (C13).
    Suspended {
        /// First month it may resume.
        until: f64,
        /// True when it fell apart rather than paused.
        collapse: bool,
    },
    /// Domestic politics halted it until this month (C7).
    Disrupted {
        /// First month it resumes.
        until: f64,
    },
}

/// The state of one design's channel during the build-up.
#[derive(Clone, Debug)]
pub struct Buildup<'a> {
    p: &'a WorldParams,
    d: &'a Design,
    w: &'a World,
    /// Tokyo–Taipei trust in [0, 1].
    pub trust: f64,
    /// Beijing's irritation with this channel.
    pub irritation: f64,
    /// Tokyo's memory of recent backlash (points, decaying).
    pub recent_backlash: f64,
    /// Total backlash points so far.
    pub backlash: f64,
    /// Highest rung reached, 1-based; 0 when Beijing never acted.
    pub max_rung: usize,
    /// MOUs per issue area.
    pub mous: [u32; 5],
    /// Channel status.
    pub status: ChannelStatus,
    /// Months the channel was active.
    pub active_months: u32,
    /// Suspensions by Tokyo.
    pub suspensions: u32,
    meeting_clock: f64,
    /// A meeting attempt (regular or make-up) was postponed or missed and none has been held
    /// since.
    owed: bool,
    p_notice: f64,
    provocation: f64,
    pressure: f64,
    rate: f64,
    tokyo_keep: f64,
}

impl<'a> Buildup<'a> {
    /// Start a channel at launch.
    pub fn new(p: &'a WorldParams, d: &'a Design, w: &'a World) -> Buildup<'a> {
        let a = &p.agreements;
        let n_areas = d.n_areas().max(1) as f64;
        // Per-area MOU probability per meeting, before the trust factor (C14–C16).
        let rate = a.base_rate
            * d.authority
            * d.security_mandate
            * (1.0 - a.consistency_weight + a.consistency_weight * d.format_consistency)
            * (a.focus_reference_areas / n_areas).powf(a.focus_elasticity);
        let pace = match d.pace {
            Pace::TaipeiPushed => 1.0,
            Pace::JapanLed => p.taipei.japan_led_restraint,
        };
        Buildup {
            p,
            d,
            w,
            trust: w.trust0,
            irritation: 0.0,
            recent_backlash: 0.0,
            backlash: 0.0,
            max_rung: 0,
            mous: [0; 5],
            status: ChannelStatus::Active,
            active_months: 0,
            suspensions: 0,
            // The first meeting is at launch: the clock reaches 1 in month 0 (never, with no
            // meetings scheduled).
            meeting_clock: if d.cadence_per_year > 0.0 {
                1.0 - d.cadence_per_year / 12.0
            } else {
                0.0
            },
            owed: false,
            p_notice: notice_probability(p, d),
            provocation: w.beijing_multiplier * official_weight(p, d) * tacit_factor(p, d),
            pressure: p.taipei.pressure * pace,
            rate,
            tokyo_keep: 0.5f64.powf(1.0 / p.tokyo.memory_months),
        }
    }

    /// Total MOUs signed.
    pub fn agreements(&self) -> u32 {
        self.mous.iter().sum()
    }

    /// Whether the channel is active.
    pub fn active(&self) -> bool {
        self.status == ChannelStatus::Active
    }

    /// Run every month of the build-up.
    pub fn run(&mut self, monthly: &mut ChaCha8Rng, own: &mut ChaCha8Rng) {
        for month in 0..self.w.buildup_months {
            self.month(month as f64, monthly, own);
        }
    }

    fn month(&mut self, m: f64, monthly: &mut ChaCha8Rng, own: &mut ChaCha8Rng) {
        let (p, d) = (self.p, self.d);
        // World draws, the same three every month for every design (common random numbers).
        let u_shock: f64 = monthly.random();
        let u_hit: f64 = monthly.random();
        let u_act: f64 = monthly.random();

        // Domestic politics (C7): a shock hits a design with probability = its exposure.
        if u_shock < p.tokyo.domestic_shock_rate / 12.0
            && u_hit < d.domestic_exposure
            && self.active()
        {
            self.status = ChannelStatus::Disrupted {
                until: m + p.tokyo.disruption_months,
            };
            self.trust = (self.trust - p.trust.disruption_loss).max(0.0);
        }
        // Resumption (C13, F9).
        match self.status {
            ChannelStatus::Suspended { until, .. }
                if m >= until
                    && self.recent_backlash < p.tokyo.resume_fraction * self.w.tolerance =>
            {
                self.status = ChannelStatus::Active;
            }
            ChannelStatus::Disrupted { until } if m >= until => {
                self.status = ChannelStatus::Active;
            }
            _ => {}
        }

        // Meetings at the design's cadence (several in a month above 12 a year). The tolerance
        // keeps sums like 6 × (2/12) from falling a hair short of a whole meeting.
        // A postponed or missed meeting is owed: while the channel is active it is retried
        // every month until it is held, without moving the regular schedule.
        self.meeting_clock += d.cadence_per_year / 12.0;
        let mut make_up = self.owed && self.active() && self.meeting_clock < 1.0 - 1e-9;
        while self.meeting_clock >= 1.0 - 1e-9 || make_up {
            if make_up {
                make_up = false;
            } else {
                self.meeting_clock -= 1.0;
            }
            // A fixed number of own draws per meeting attempt keeps a design's paths coupled
            // when a parameter changes, until the changed parameter changes how many attempts
            // are made (make-up attempts depend on postponements and halts).
            let u_postpone: f64 = own.random();
            let u_notice: f64 = own.random();
            let mut u_areas = [0.0f64; 5];
            for u in u_areas.iter_mut() {
                *u = own.random();
            }
            if !self.active() {
                self.owed = true;
            } else {
                let strain = (self.recent_backlash / self.w.tolerance).min(1.0);
                if u_postpone < p.tokyo.postpone_sensitivity * strain {
                    self.owed = true; // Tokyo postpones (C8)
                } else {
                    self.owed = false;
                    self.hold_meeting(u_notice < self.p_notice, &u_areas);
                }
            }
        }
        // Tokyo is delaying in every month the channel is halted or a postponed meeting is
        // still owed.
        let delayed = self.owed || !self.active();
        // Taipei's pressure when Tokyo delays erodes trust (C18).
        if delayed {
            self.trust = (self.trust - p.trust.pressure_loss * self.pressure).max(0.0);
        }

        self.beijing_acts(u_act < p.beijing.act_probability);
        self.irritation *= 1.0 - p.beijing.irritation_decay;

        // Tokyo weighs backlash against the China relationship (C8, C12).
        if self.active() && self.recent_backlash > self.w.tolerance {
            self.suspend(m);
        }
        self.recent_backlash *= self.tokyo_keep;
        if self.active() {
            self.active_months += 1;
        }
    }

    fn hold_meeting(&mut self, noticed: bool, u_areas: &[f64; 5]) {
        let p = self.p;
        self.trust += p.trust.gain_per_meeting * (1.0 - self.trust);
        if noticed {
            self.irritation += p.beijing.provocation_per_meeting * self.provocation;
        }
        for (area, &u) in u_areas.iter().enumerate().take(ISSUE_AREAS.len()) {
            if !self.d.issue_areas[area] {
                continue;
            }
            let prob = (self.rate * 2.0 * self.trust).min(1.0);
            if u < prob {
                self.mous[area] += 1;
                self.trust += p.trust.gain_per_agreement * (1.0 - self.trust);
                if noticed {
                    self.irritation += p.beijing.agreement_provocation * self.provocation;
                }
            }
        }
    }

    /// One action opportunity for Beijing on the escalation ladder (C9). The rung is the
    /// highest whose threshold the irritation reaches, but at most one above the highest rung
    /// used so far: Beijing climbs the ladder a step at a time.
    pub(super) fn beijing_acts(&mut self, acts: bool) {
        let rungs = &self.p.beijing.rungs;
        if !acts || rungs.is_empty() || self.irritation < rungs[0].threshold {
            return;
        }
        let reached = rungs
            .iter()
            .rposition(|r| self.irritation >= r.threshold)
            .unwrap_or(0);
        let rung = reached.min(self.max_rung); // max_rung is 1-based: index max_rung is one step up
        let severity = rungs[rung].severity;
        self.backlash += severity;
        self.recent_backlash += severity;
        self.max_rung = self.max_rung.max(rung + 1);
        self.irritation *= 1.0 - self.p.beijing.discharge;
    }

    /// Add irritation from using the channel at crisis onset (C9).
    pub(super) fn provoke_crisis(&mut self) {
        self.irritation += self.p.beijing.crisis_provocation * self.provocation;
    }

    fn suspend(&mut self, m: f64) {
        let t = &self.p.tokyo;
        self.suspensions += 1;
        self.status = if self.d.exit_clause {
            ChannelStatus::Suspended {
                until: m + self.w.pause_months,
                collapse: false,
            }
        } else {
            self.trust *= 1.0 - self.p.trust.collapse_loss;
            ChannelStatus::Suspended {
                until: m + self.w.pause_months * t.collapse_resume_factor,
                collapse: true,
            }
        };
    }
}
