//! The tabletop: one replication of one design played as a story, turn by turn, for a seminar
//! (issue 10; docs/SEMINAR.md).
//!
//! The story is the model's own: the tabletop plays [`model::simulate_observed`] with an
//! observer (`Teller`) that turns the model's events into dated lines and puts the model's
//! decision points (docs/MODEL.md §10) to the players. The same seed and replication give the
//! same world as `run`; the default answers change nothing, so a tabletop played with them
//! (`--auto`) ends with exactly that replication's row of replications.csv.
//!
//! Around the play: a look-ahead at each decision (continuations of this state under each
//! option, with fresh future draws), the run against the Monte Carlo distribution, and the
//! turning points (the same world replayed with one decision flipped or one inject removed).

pub mod prompt;
mod story;
pub mod transcript;

use std::collections::BTreeMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use crate::engine::{design_stream, replication_key, Plan, STREAM_INTEL, STREAM_MONTHLY};
use crate::error::{Error, Result};
use crate::metric::{Metric, N_METRICS};
use crate::model::{self, Buildup, Choice, Event, Observer, Outcome, Point, Streams, When, World};
use crate::scenario::{Scenario, WorldParams};

pub use story::Line;

/// Who took a decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    /// The players, at the prompt.
    Players,
    /// A decisions file.
    Script,
    /// The design's default policy (`--auto`, or a replay).
    Auto,
}

impl Who {
    /// As the transcript writes it.
    pub fn name(self) -> &'static str {
        match self {
            Who::Players => "players",
            Who::Script => "script",
            Who::Auto => "auto",
        }
    }
}

/// The outlook of one option at a decision: the mean scores of the look-ahead's continuations.
#[derive(Clone, Debug, PartialEq)]
pub struct Outlook {
    /// The option.
    pub choice: Choice,
    /// Mean scores over the continuations.
    pub mean: Outcome,
}

/// A decision point as the players meet it.
#[derive(Clone, Debug)]
pub struct Situation {
    /// Its id in decision files: `month-37-economic-coercion`, `crisis-channel`, `sdf-consent`.
    pub id: String,
    /// When it falls.
    pub at: When,
    /// The point.
    pub point: Point,
    /// What it is about, in a sentence.
    pub question: String,
    /// The state of play, in a few lines.
    pub state: Vec<String>,
    /// The options, the default first, with their outlook (empty without look-ahead).
    pub options: Vec<Choice>,
    /// The look-ahead, option by option.
    pub outlook: Vec<Outlook>,
    /// Continuations per option in the look-ahead.
    pub lookahead: u32,
}

/// A decision taken.
#[derive(Clone, Debug)]
pub struct Taken {
    /// The situation.
    pub situation: Situation,
    /// The answer.
    pub choice: Choice,
    /// Who took it.
    pub by: Who,
}

/// Answers the decision points: the default policy, a decisions file, or players at a prompt.
pub trait Players {
    /// The answer to `s`, or an error (a decisions file that does not fit, an interrupt).
    fn choose(&mut self, s: &Situation, story: &[Line]) -> Result<(Choice, Who)>;
    /// A line of the story as it happens (the interactive prompt shows it at once).
    fn told(&mut self, _line: &Line) -> Result<()> {
        Ok(())
    }
}

/// `--auto`: each design's default policy, the batch model's.
pub struct Auto;

impl Players for Auto {
    fn choose(&mut self, s: &Situation, _: &[Line]) -> Result<(Choice, Who)> {
        Ok((s.point.default(), Who::Auto))
    }
}

/// `--decisions FILE`: scripted answers by decision id.
#[derive(Clone, Debug)]
pub struct Script {
    /// The file's name, for messages.
    pub file: String,
    /// id → (option name, line).
    pub entries: BTreeMap<String, (String, usize)>,
    used: Vec<String>,
}

impl Script {
    /// Read a decisions file: `ID = OPTION` lines (TOML-like; quotes optional), `#` comments.
    pub fn parse(file: &str, text: &str) -> Result<Script> {
        let mut entries = BTreeMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let body = raw.split('#').next().unwrap_or("").trim();
            if body.is_empty() {
                continue;
            }
            let Some((k, v)) = body.split_once('=') else {
                return Err(Error::usage(
                    format!("{file}:{line}: expected `DECISION = OPTION`, found `{body}`"),
                    "write one decision a line, e.g. `crisis-channel = use`",
                ));
            };
            let unquote = |s: &str| s.trim().trim_matches('"').to_string();
            let (k, v) = (unquote(k), unquote(v));
            if Choice::from_name(&v).is_none() {
                let names: Vec<&str> = Choice::ALL.iter().map(|c| c.name()).collect();
                let help = match crate::scenario::suggest(&v, names.iter().copied()) {
                    Some(s) => format!("did you mean `{s}`?"),
                    None => format!("options: {}", names.join(", ")),
                };
                return Err(Error::usage(
                    format!("{file}:{line}: {k}: `{v}` is not an option"),
                    help,
                ));
            }
            if let Some((_, first)) = entries.insert(k.clone(), (v, line)) {
                return Err(Error::usage(
                    format!("{file}:{line}: {k}: decided twice (first at line {first})"),
                    "keep one line per decision",
                ));
            }
        }
        Ok(Script {
            file: file.to_string(),
            entries,
            used: Vec::new(),
        })
    }

    /// After the play: every line of the file must have been a decision that arose.
    pub fn check_all_used(&self) -> Result<()> {
        for (id, (_, line)) in &self.entries {
            if !self.used.contains(id) {
                return Err(Error::usage(
                    format!(
                        "{}:{line}: {id}: no such decision arose in this play",
                        self.file
                    ),
                    "the decisions of a play are listed in its transcript; a decision's id \
                     names its month and rung, and earlier choices change which arise",
                ));
            }
        }
        Ok(())
    }
}

impl Players for Script {
    fn choose(&mut self, s: &Situation, _: &[Line]) -> Result<(Choice, Who)> {
        let names: Vec<&str> = s.options.iter().map(|c| c.name()).collect();
        let Some((name, line)) = self.entries.get(&s.id) else {
            return Err(Error::usage(
                format!("{}: no answer for decision `{}`", self.file, s.id),
                format!(
                    "add `{} = OPTION` with OPTION one of: {}",
                    s.id,
                    names.join(", ")
                ),
            ));
        };
        self.used.push(s.id.clone());
        match s.options.iter().find(|c| c.name() == name) {
            Some(&c) => Ok((c, Who::Script)),
            None => Err(Error::usage(
                format!(
                    "{}:{line}: {}: `{name}` is not an option at this decision",
                    self.file, s.id
                ),
                format!("options here: {}", names.join(", ")),
            )),
        }
    }
}

/// What to play.
#[derive(Clone, Copy, Debug)]
pub struct Setup<'a> {
    /// The scenario.
    pub scenario: &'a Scenario,
    /// Index of the design played.
    pub design: usize,
    /// Master seed.
    pub seed: u64,
    /// Replication index (the world).
    pub replication: u64,
    /// Continuations per option at each decision (0: no look-ahead).
    pub lookahead: u32,
}

/// A finished (or interrupted) play.
#[derive(Clone, Debug)]
pub struct Play {
    /// The dated lines of the story.
    pub lines: Vec<Line>,
    /// The decisions, in order.
    pub decisions: Vec<Taken>,
    /// The scores; `None` when the play stopped early.
    pub outcome: Option<Outcome>,
    /// The world played.
    pub world: World,
}

fn stream(key: [u8; 32], n: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::from_seed(key);
    rng.set_stream(n);
    rng
}

/// The streams of this replication exactly as the engine reads them.
struct Owned {
    monthly: ChaCha8Rng,
    intel: ChaCha8Rng,
    own: ChaCha8Rng,
    sq: ChaCha8Rng,
}

impl Owned {
    fn engine(sc: &Scenario, design: usize, key: [u8; 32]) -> Owned {
        let sq = sc.design_index(&sc.status_quo).unwrap_or(0);
        Owned {
            monthly: stream(key, STREAM_MONTHLY),
            intel: stream(key, STREAM_INTEL),
            own: stream(key, design_stream(&sc.designs[design].id)),
            sq: stream(key, design_stream(&sc.designs[sq].id)),
        }
    }

    /// Fresh streams for continuation `k` of decision `d`: far from every stream the engine
    /// uses (1, 2, 16–38 and design hashes with the top bit set).
    fn fresh(key: [u8; 32], d: usize, k: u32) -> Owned {
        let base = (1u64 << 40) | ((d as u64) << 24) | ((k as u64) << 2);
        Owned {
            monthly: stream(key, base),
            intel: stream(key, base | 1),
            own: stream(key, base | 2),
            sq: stream(key, base | 3),
        }
    }
}

/// Forced answers for replays and look-ahead: by decision id, the rest take the default.
struct Forced<'s> {
    sc: &'s Scenario,
    answers: &'s BTreeMap<String, Choice>,
}

impl Observer for Forced<'_> {
    const ACTIVE: bool = true;
    fn decide(&mut self, at: When, point: Point, _: &Buildup<'_>) -> Choice {
        let id = decision_id(&self.sc.world, at, point);
        self.answers.get(&id).copied().unwrap_or(point.default())
    }
}

/// The id of a decision point in decision files.
pub fn decision_id(p: &WorldParams, at: When, point: Point) -> String {
    match (point, at) {
        (Point::Coercion { rung, .. }, When::Month(m)) => {
            let name = p
                .beijing
                .rungs
                .get(rung)
                .map_or("rung", |r| r.name.as_str());
            format!("month-{m}-{name}")
        }
        (Point::Coercion { rung, .. }, When::Day(_)) => format!("rung-{rung}"),
        (Point::CrisisChannel { .. }, _) => "crisis-channel".into(),
        (Point::SdfConsent, _) => "sdf-consent".into(),
    }
}

/// Replay this replication with `answers` (the rest at their defaults), in `sc` (which may
/// differ from the played scenario by an inject): the original streams, so only the answers
/// and the injects differ.
pub fn replay(setup: &Setup<'_>, sc: &Scenario, answers: &BTreeMap<String, Choice>) -> Outcome {
    let key = replication_key(setup.seed, setup.replication);
    let world = model::draw_world(&sc.world, key);
    let mut s = Owned::engine(sc, setup.design, key);
    let sq = sc.design_index(&sc.status_quo).unwrap_or(0);
    model::simulate_observed(
        &sc.world,
        &sc.weights,
        &sc.designs[setup.design],
        &sc.designs[sq],
        &world,
        Streams {
            monthly: &mut s.monthly,
            intel: &mut s.intel,
            design: &mut s.own,
            status_quo: &mut s.sq,
        },
        &mut Forced { sc, answers },
    )
}

/// The observer that tells the story and puts the decisions to the players.
struct Teller<'a, P: Players> {
    setup: Setup<'a>,
    world: &'a World,
    key: [u8; 32],
    players: &'a mut P,
    story: story::Story<'a>,
    decisions: Vec<Taken>,
    answers: BTreeMap<String, Choice>,
    failed: Option<Error>,
}

impl<P: Players> Teller<'_, P> {
    fn outlook(&self, at: When, point: Point, b: &Buildup<'_>) -> Vec<Outlook> {
        let n = self.setup.lookahead;
        if n == 0 {
            return Vec::new();
        }
        let sc = self.setup.scenario;
        let d = self.decisions.len();
        point
            .options()
            .into_iter()
            .map(|choice| {
                let mut sum = [0.0; N_METRICS];
                for k in 0..n {
                    // A large look-ahead stops at an interrupt; the prompt then reports it.
                    if crate::interrupt::interrupted() {
                        break;
                    }
                    let mut s = Owned::fresh(self.key, d, k);
                    let o = match (point, at) {
                        (Point::Coercion { .. }, When::Month(m)) => {
                            let mut c = b.clone();
                            c.apply(choice, m);
                            c.run_from(m + 1, &mut s.monthly, &mut s.own, &mut s.sq, &mut ());
                            model::play_crisis(
                                &sc.world,
                                &sc.weights,
                                self.world,
                                &c,
                                &mut s.intel,
                                &mut s.own,
                                &mut s.sq,
                                &mut (),
                            )
                        }
                        _ => {
                            let mut answers = self.answers.clone();
                            answers.insert(decision_id(&sc.world, at, point), choice);
                            model::play_crisis(
                                &sc.world,
                                &sc.weights,
                                self.world,
                                b,
                                &mut s.intel,
                                &mut s.own,
                                &mut s.sq,
                                &mut Forced {
                                    sc,
                                    answers: &answers,
                                },
                            )
                        }
                    };
                    for (x, v) in sum.iter_mut().zip(o.scores()) {
                        *x += v;
                    }
                }
                let mut mean = Outcome::default();
                let get = |m: Metric| sum[m.index()] / n as f64;
                mean.info_exchange = get(Metric::InfoExchange);
                mean.evacuation = get(Metric::Evacuation);
                mean.rear_area = get(Metric::RearArea);
                mean.coercion_rate = get(Metric::CoercionRate);
                mean.crisis_escalation = get(Metric::CrisisEscalation);
                mean.channel_survived = get(Metric::ChannelSurvived);
                mean.agreements = get(Metric::Agreements);
                mean.composite = get(Metric::Composite);
                Outlook { choice, mean }
            })
            .collect()
    }
}

impl<P: Players> Observer for Teller<'_, P> {
    const ACTIVE: bool = true;

    fn event(&mut self, at: When, e: &Event<'_>) {
        if self.failed.is_some() {
            return;
        }
        let new = self.story.event(at, e, self.decisions.last());
        for line in new {
            if let Err(err) = self.players.told(&line) {
                self.failed = Some(err);
                return;
            }
        }
    }

    fn decide(&mut self, at: When, point: Point, b: &Buildup<'_>) -> Choice {
        if self.failed.is_some() {
            return point.default();
        }
        if crate::interrupt::interrupted() {
            self.failed = Some(Error::Interrupted);
            return point.default();
        }
        for line in self.story.flush() {
            if let Err(err) = self.players.told(&line) {
                self.failed = Some(err);
                return point.default();
            }
        }
        let sc = self.setup.scenario;
        let id = decision_id(&sc.world, at, point);
        let (question, state) = self.story.situation(at, point, b);
        let situation = Situation {
            id: id.clone(),
            at,
            point,
            question,
            state,
            options: point.options(),
            outlook: self.outlook(at, point, b),
            lookahead: self.setup.lookahead,
        };
        match self.players.choose(&situation, &self.story.lines) {
            Ok((choice, by)) => {
                self.answers.insert(id, choice);
                self.decisions.push(Taken {
                    situation,
                    choice,
                    by,
                });
                choice
            }
            Err(e) => {
                self.failed = Some(e);
                point.default()
            }
        }
    }
}

/// Play the replication: the story, the decisions (through `players`), the scores. An error
/// from the players (a decisions file that does not fit, an interrupt) stops the play and is
/// returned with what was played so far.
pub fn play<P: Players>(setup: &Setup<'_>, players: &mut P) -> (Play, Option<Error>) {
    let sc = setup.scenario;
    let key = replication_key(setup.seed, setup.replication);
    let world = model::draw_world(&sc.world, key);
    let mut s = Owned::engine(sc, setup.design, key);
    let sq = sc.design_index(&sc.status_quo).unwrap_or(0);
    let (lines, decisions, outcome, failed) = {
        let mut t = Teller {
            setup: *setup,
            world: &world,
            key,
            players,
            story: story::Story::new(sc, &sc.designs[setup.design], &world),
            decisions: Vec::new(),
            answers: BTreeMap::new(),
            failed: None,
        };
        let o = model::simulate_observed(
            &sc.world,
            &sc.weights,
            &sc.designs[setup.design],
            &sc.designs[sq],
            &world,
            Streams {
                monthly: &mut s.monthly,
                intel: &mut s.intel,
                design: &mut s.own,
                status_quo: &mut s.sq,
            },
            &mut t,
        );
        let failed = t.failed.take();
        let outcome = if failed.is_none() { Some(o) } else { None };
        (t.story.finish(), t.decisions, outcome, failed)
    };
    (
        Play {
            lines,
            decisions,
            outcome,
            world,
        },
        failed,
    )
}

/// A move that changed the outcome: a decision flipped or an inject removed, replayed in the
/// same world.
#[derive(Clone, Debug, PartialEq)]
pub struct TurningPoint {
    /// What was changed, in words.
    pub what: String,
    /// When.
    pub at: When,
    /// The composite with the change, minus the composite played.
    pub composite_change: f64,
    /// The evacuation with the change, minus the evacuation played.
    pub evacuation_change: f64,
    /// The crisis escalation risk with the change, minus the risk played.
    pub escalation_change: f64,
}

/// The turning points of a finished play, the largest change of the composite first: every
/// other option at every decision, and every inject that happened, removed.
pub fn turning_points(setup: &Setup<'_>, played: &Play, outcome: &Outcome) -> Vec<TurningPoint> {
    let sc = setup.scenario;
    let answers: BTreeMap<String, Choice> = played
        .decisions
        .iter()
        .map(|t| (t.situation.id.clone(), t.choice))
        .collect();
    let mut out = Vec::new();
    let mut push = |what: String, at: When, o: Outcome| {
        out.push(TurningPoint {
            what,
            at,
            composite_change: o.composite - outcome.composite,
            evacuation_change: o.evacuation - outcome.evacuation,
            escalation_change: o.crisis_escalation - outcome.crisis_escalation,
        });
    };
    for t in &played.decisions {
        for &alt in t.situation.options.iter().filter(|&&c| c != t.choice) {
            let mut a = answers.clone();
            a.insert(t.situation.id.clone(), alt);
            push(
                format!(
                    "{}: {} instead of {}",
                    t.situation.id,
                    alt.name(),
                    t.choice.name()
                ),
                t.situation.at,
                replay(setup, sc, &a),
            );
        }
    }
    for (i, inj) in sc.world.injects.iter().enumerate() {
        let Some(at) = played
            .lines
            .iter()
            .find_map(|l| (l.inject == Some(i)).then_some(l.at))
        else {
            continue;
        };
        let mut without = sc.clone();
        without.world.injects.remove(i);
        push(
            format!("without inject {} ({})", inj.id, inj.kind.name()),
            at,
            replay(setup, &without, &answers),
        );
    }
    out.sort_by(|a, b| {
        b.composite_change
            .abs()
            .total_cmp(&a.composite_change.abs())
    });
    out
}

/// One metric of the play against the Monte Carlo distribution of the same design and scenario.
#[derive(Clone, Debug, PartialEq)]
pub struct Standing {
    /// The metric.
    pub metric: Metric,
    /// The play's score.
    pub played: f64,
    /// This world under the default policy (no decisions changed).
    pub default_here: f64,
    /// Percentile of the play's score among the runs: share below, plus half the ties, × 100.
    pub percentile: f64,
    /// Median of the runs (the default policy).
    pub median: f64,
    /// Median of the same worlds played with the group's choices as a policy ([`Policy`]),
    /// when some choice differed from the default.
    pub policy_median: Option<f64>,
}

/// The group's choices as a policy for any world: at a step up to a rung, the answer first
/// given at that rung; at the warning, the answers given there. Decisions that did not arise
/// in the play take the default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Policy {
    /// By rung (0-based).
    pub by_rung: BTreeMap<usize, Choice>,
    /// The crisis-channel answer.
    pub channel: Option<Choice>,
    /// The sdf-consent answer.
    pub sdf: Option<Choice>,
}

impl Policy {
    /// The policy of a play's decisions.
    pub fn of(decisions: &[Taken]) -> Policy {
        let mut p = Policy::default();
        for t in decisions {
            match t.situation.point {
                Point::Coercion { rung, .. } => {
                    p.by_rung.entry(rung).or_insert(t.choice);
                }
                Point::CrisisChannel { .. } => p.channel = Some(t.choice),
                Point::SdfConsent => p.sdf = Some(t.choice),
            }
        }
        p
    }

    /// Whether any of its answers differs from the default at the point it was given.
    pub fn departs(decisions: &[Taken]) -> bool {
        decisions
            .iter()
            .any(|t| t.choice != t.situation.point.default())
    }
}

impl Observer for &Policy {
    const ACTIVE: bool = true;
    fn decide(&mut self, _: When, point: Point, _: &Buildup<'_>) -> Choice {
        let c = match point {
            Point::Coercion { rung, .. } => self.by_rung.get(&rung).copied(),
            Point::CrisisChannel { .. } => self.channel,
            Point::SdfConsent => self.sdf,
        };
        // A pause is open only to forms with exit terms; `ask` falls back to the default.
        c.unwrap_or(point.default())
    }
}

/// The scores of replications `0..n` of the design played with `policy`, in replication
/// order; polls for an interrupt between replications.
pub fn policy_runs(setup: &Setup<'_>, policy: &Policy, n: u64) -> Result<Vec<Outcome>> {
    let sc = setup.scenario;
    let sq = sc.design_index(&sc.status_quo).unwrap_or(0);
    let mut out = Vec::with_capacity(n as usize);
    for rep in 0..n {
        crate::interrupt::check()?;
        let key = replication_key(setup.seed, rep);
        let world = model::draw_world(&sc.world, key);
        let mut s = Owned::engine(sc, setup.design, key);
        out.push(model::simulate_observed(
            &sc.world,
            &sc.weights,
            &sc.designs[setup.design],
            &sc.designs[sq],
            &world,
            Streams {
                monthly: &mut s.monthly,
                intel: &mut s.intel,
                design: &mut s.own,
                status_quo: &mut s.sq,
            },
            &mut &*policy,
        ));
    }
    Ok(out)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        f64::NAN
    } else if v.len() % 2 == 1 {
        v[v.len() / 2]
    } else {
        (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0
    }
}

/// The metrics the comparison reports.
pub const COMPARED: [Metric; 6] = [
    Metric::Composite,
    Metric::Evacuation,
    Metric::InfoExchange,
    Metric::RearArea,
    Metric::CrisisEscalation,
    Metric::CoercionRate,
];

/// Run `n` replications of the design through the engine (the default policy, the scenario's
/// injects) and place the play's scores among them.
pub fn standing(
    setup: &Setup<'_>,
    outcome: &Outcome,
    default_here: &Outcome,
    policy: Option<&Policy>,
    n: u64,
) -> Result<Vec<Standing>> {
    let sc = setup.scenario;
    let plan = Plan::new(sc, vec![setup.design], 0, setup.seed, vec![None; N_METRICS]);
    let mut acc = plan.accumulator();
    let mut runs: Vec<[f64; N_METRICS]> = Vec::with_capacity(n as usize);
    let mut sink = |_rep: u64, s: &[[f64; N_METRICS]]| {
        runs.extend_from_slice(s);
        Ok(())
    };
    let done = plan
        .run(
            0..n,
            &mut acc,
            Some(&mut sink),
            &|_| {},
            &crate::interrupt::interrupted,
        )
        .map_err(|e| Error::io("running the comparison", e))?;
    if !done {
        return Err(Error::Interrupted);
    }
    let with_policy = match policy {
        Some(p) => Some(policy_runs(setup, p, n)?),
        None => None,
    };
    Ok(COMPARED
        .iter()
        .map(|&m| {
            let k = m.index();
            let v: Vec<f64> = runs.iter().map(|r| r[k]).collect();
            let x = outcome.get(m);
            let below = v.iter().filter(|&&y| y < x).count() as f64;
            let ties = v.iter().filter(|&&y| y == x).count() as f64;
            Standing {
                metric: m,
                played: x,
                default_here: default_here.get(m),
                percentile: 100.0 * (below + ties / 2.0) / v.len().max(1) as f64,
                median: median(v),
                policy_median: with_policy
                    .as_ref()
                    .map(|o| median(o.iter().map(|r| r.get(m)).collect())),
            }
        })
        .collect())
}

/// Who answers the decision points.
pub enum Mode {
    /// `--auto`: the default policy.
    Auto,
    /// `--decisions FILE`.
    Script(Script),
    /// Players at a terminal.
    Terminal,
}

/// A writer that stops writing, quietly, once its reader has gone (a broken pipe).
struct PipeTolerant<'o> {
    inner: &'o mut dyn std::io::Write,
    closed: bool,
}

impl std::io::Write for PipeTolerant<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.closed {
            return Ok(buf.len());
        }
        match self.inner.write(buf) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(buf.len())
            }
            r => r,
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.closed {
            return Ok(());
        }
        match self.inner.flush() {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                self.closed = true;
                Ok(())
            }
            r => r,
        }
    }
}

/// `31st`, `2nd`, `13th`.
pub fn ordinal(n: u64) -> String {
    let suffix = match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// A whole session: play the replication (telling the story on `out`), then compare the run
/// with `compare` replications of the engine, find the turning points, and write the transcript
/// to `transcript` atomically. An interrupt or the end of the players' input keeps the
/// transcript so far and returns [`Error::Stopped`].
pub fn session(
    setup: &Setup<'_>,
    mode: Mode,
    transcript: Option<&std::path::Path>,
    compare: u64,
    out: &mut dyn std::io::Write,
) -> Result<()> {
    // A reader of the story who leaves (`| head`) does not stop the session or its transcript.
    let mut out = PipeTolerant {
        inner: out,
        closed: false,
    };
    let out: &mut dyn std::io::Write = &mut out;
    let (played, failed, script) = match mode {
        Mode::Auto => {
            let mut p = prompt::Telling {
                out: &mut *out,
                inner: Auto,
            };
            let (a, b) = play(setup, &mut p);
            (a, b, None)
        }
        Mode::Script(s) => {
            let mut p = prompt::Telling {
                out: &mut *out,
                inner: s,
            };
            let (a, b) = play(setup, &mut p);
            (a, b, Some(p.inner))
        }
        Mode::Terminal => {
            let mut p = prompt::Terminal::stdin(&mut *out);
            let (a, b) = play(setup, &mut p);
            (a, b, None)
        }
    };
    if let Some(e) = failed {
        let why = match e {
            Error::Interrupted => "the session was interrupted".to_string(),
            Error::Stopped(why) => why,
            other => return Err(other),
        };
        let at = played
            .lines
            .last()
            .map_or("before the first turn".to_string(), |l| {
                format!("after {}", l.date())
            });
        let stop = format!("{why} {at}; the story up to there is above.");
        let kept = match transcript {
            Some(path) => {
                let text = transcript::markdown(
                    setup,
                    &played,
                    &transcript::Extras {
                        standing: None,
                        compared: 0,
                        turning: &[],
                        stopped: Some(stop),
                    },
                );
                crate::output::write_file_atomic(path, text.as_bytes())?;
                format!("the transcript so far is in {}", path.display())
            }
            None => "no transcript was asked for (--transcript FILE.md keeps one)".to_string(),
        };
        return Err(Error::Stopped(format!("{why} {at}; {kept}")));
    }
    if let Some(s) = &script {
        s.check_all_used()?;
    }
    let Some(outcome) = played.outcome else {
        return Err(Error::Stopped("the play did not finish".into()));
    };
    let default_here = replay(setup, setup.scenario, &BTreeMap::new());
    let standing = if compare > 0 {
        let policy = Policy::departs(&played.decisions).then(|| Policy::of(&played.decisions));
        // The test hook holds the session here so that a test can signal it mid-comparison.
        let compared = crate::interrupt::test_pause("tabletop-compare")
            .and_then(|()| standing(setup, &outcome, &default_here, policy.as_ref(), compare));
        match compared {
            Ok(s) => Some(s),
            Err(Error::Interrupted) => {
                // The play is complete: keep it, without the comparison.
                let why = "the session was interrupted during the comparison with the \
                           distribution";
                let kept = match transcript {
                    Some(path) => {
                        let text = transcript::markdown(
                            setup,
                            &played,
                            &transcript::Extras {
                                standing: None,
                                compared: 0,
                                turning: &[],
                                stopped: Some(format!("{why}; the play itself is complete.")),
                            },
                        );
                        crate::output::write_file_atomic(path, text.as_bytes())?;
                        format!("the transcript so far is in {}", path.display())
                    }
                    None => "no transcript was asked for".to_string(),
                };
                return Err(Error::Stopped(format!("{why}; {kept}")));
            }
            Err(e) => return Err(e),
        }
    } else {
        None
    };
    let turning = turning_points(setup, &played, &outcome);
    let d = &setup.scenario.designs[setup.design];
    let w = |e: std::io::Error| Error::stdout(e);
    writeln!(out).map_err(w)?;
    match &standing {
        Some(st) => {
            writeln!(
                out,
                "Your run against {compare} runs of the {} in this scenario (each design's default \
                 policy):",
                d.name
            )
            .map_err(w)?;
            for s in st {
                let policy = s.policy_median.map_or(String::new(), |m| {
                    format!(
                        "; your choices as a policy in every world: median {}",
                        story::three(m)
                    )
                });
                writeln!(
                    out,
                    "  {:<17} {}: {} percentile; median {}; this world with the default policy {}{policy}",
                    s.metric.name(),
                    story::three(s.played),
                    ordinal(s.percentile.round() as u64),
                    story::three(s.median),
                    story::three(s.default_here)
                )
                .map_err(w)?;
            }
        }
        None => {
            writeln!(
                out,
                "Scores: composite {}, evacuation {}; this world with the default policy: composite {}.",
                story::three(outcome.composite),
                story::three(outcome.evacuation),
                story::three(default_here.composite)
            )
            .map_err(w)?;
        }
    }
    if let Some(t) = turning.first() {
        writeln!(
            out,
            "Largest turning point: {} (composite {:+.3}).",
            t.what, t.composite_change
        )
        .map_err(w)?;
    }
    if let Some(path) = transcript {
        let text = transcript::markdown(
            setup,
            &Play {
                outcome: Some(outcome),
                ..played
            },
            &transcript::Extras {
                standing: standing.as_deref(),
                compared: compare,
                turning: &turning,
                stopped: None,
            },
        );
        crate::output::write_file_atomic(path, text.as_bytes())?;
        writeln!(out, "Transcript written to {}.", path.display()).map_err(w)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{load_str, BASELINE_TOML};

    #[test]
    fn ordinals() {
        let got: Vec<String> = [1, 2, 3, 4, 11, 12, 13, 21, 22, 23, 100, 101, 111]
            .iter()
            .map(|&n| ordinal(n))
            .collect();
        assert_eq!(
            got,
            [
                "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "23rd",
                "100th", "101st", "111th"
            ]
        );
    }

    #[test]
    fn scripts_read_quoted_and_bare_options_and_comments() {
        let s = Script::parse(
            "f",
            "# c\n\ncrisis-channel = \"use\"  # why\nmonth-3-verbal-warning=pause\n",
        )
        .unwrap();
        assert_eq!(s.entries["crisis-channel"], ("use".to_string(), 3));
        assert_eq!(
            s.entries["month-3-verbal-warning"],
            ("pause".to_string(), 4)
        );
        assert!(s.check_all_used().is_err());
    }

    #[test]
    fn answers_by_number_name_or_enter() {
        let point = Point::Coercion {
            rung: 0,
            exit_clause: true,
        };
        let s = Situation {
            id: "x".into(),
            at: When::Month(1),
            point,
            question: String::new(),
            state: Vec::new(),
            options: point.options(),
            outlook: Vec::new(),
            lookahead: 0,
        };
        use prompt::parse_answer;
        assert_eq!(parse_answer(&s, ""), Some(Choice::Continue));
        assert_eq!(parse_answer(&s, " 2 "), Some(Choice::Pause));
        assert_eq!(parse_answer(&s, "RAISE-LEVEL"), Some(Choice::RaiseLevel));
        assert_eq!(parse_answer(&s, "5"), None);
        assert_eq!(parse_answer(&s, "0"), None);
        assert_eq!(parse_answer(&s, "press"), None);
    }

    #[test]
    fn the_look_ahead_is_seeded_and_the_play_repeats() {
        let sc = load_str("baseline", BASELINE_TOML, &[]).unwrap().scenario;
        let setup = Setup {
            scenario: &sc,
            design: sc.design_index("trade-conference").unwrap(),
            seed: 5,
            replication: 2,
            lookahead: 30,
        };
        let (a, e) = play(&setup, &mut Auto);
        assert!(e.is_none());
        let (b, _) = play(&setup, &mut Auto);
        assert_eq!(a.lines, b.lines);
        let outlooks = |p: &Play| -> Vec<Vec<Outlook>> {
            p.decisions
                .iter()
                .map(|t| t.situation.outlook.clone())
                .collect()
        };
        assert_eq!(outlooks(&a), outlooks(&b));
        assert!(a
            .decisions
            .iter()
            .all(|t| t.situation.outlook.len() == t.situation.options.len()));
        // The default play is the batch replication, and the replay of it too.
        let o = a.outcome.unwrap();
        assert_eq!(replay(&setup, &sc, &BTreeMap::new()).scores(), o.scores());
    }
}
