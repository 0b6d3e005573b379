//! The scores a replication produces for each design: names, ranges and which way is better.
//!
//! This list is the contract of the CSV columns (docs/OUTPUTS.md); the formulas are in
//! docs/MODEL.md §9 and `model::crisis`. A metric is a [`Metric`], never a position: a renamed
//! metric fails to compile.

/// How a metric's values are binned for quantiles (see `stats::Histogram`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// A share or probability in [0, 1].
    Unit,
    /// A whole number >= 0.
    Count,
    /// A real number >= 0, binned logarithmically (also used for probabilities that are
    /// mostly small, where 0.001-wide bins would be too coarse).
    Positive,
    /// Any real number.
    Real,
}

/// One metric.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Metric {
    /// Intelligence value reaching Tokyo by any path.
    InfoExchange,
    /// Intelligence value through the Japan–Taiwan channel.
    InfoViaChannel,
    /// Share of nationals wishing to leave who got out.
    Evacuation,
    /// Value of rear-area support coordination.
    RearArea,
    /// Peacetime coercion, ECE per year.
    CoercionRate,
    /// Highest peacetime rung.
    MaxRung,
    /// Probability of crisis escalation against Japan.
    CrisisEscalation,
    /// Whether Tokyo launched the design.
    Launched,
    /// Whether the channel was active at onset.
    ChannelSurvived,
    /// MOUs signed.
    Agreements,
    /// Trust at onset.
    TrustAtCrisis,
    /// Share of months active.
    ActiveShare,
    /// The weighted composite.
    Composite,
}

/// What a metric is: its column name, direction, scale and meaning.
#[derive(Clone, Copy, Debug)]
pub struct Info {
    /// Column name in the CSVs.
    pub name: &'static str,
    /// True when a higher value is better for Japan and Taiwan.
    pub higher_is_better: bool,
    /// How values are binned.
    pub scale: Scale,
    /// Unit, for tables and legends.
    pub unit: &'static str,
    /// One-line meaning.
    pub meaning: &'static str,
    /// Whether the values are probabilities or shares, at most 1 whatever the binning.
    pub at_most_one: bool,
}

impl Metric {
    /// Every metric, in column order. `composite` is last.
    pub const ALL: [Metric; 13] = [
        Metric::InfoExchange,
        Metric::InfoViaChannel,
        Metric::Evacuation,
        Metric::RearArea,
        Metric::CoercionRate,
        Metric::MaxRung,
        Metric::CrisisEscalation,
        Metric::Launched,
        Metric::ChannelSurvived,
        Metric::Agreements,
        Metric::TrustAtCrisis,
        Metric::ActiveShare,
        Metric::Composite,
    ];

    /// Its description.
    pub const fn info(self) -> Info {
        let (name, higher_is_better, scale, unit, meaning) = match self {
            Metric::InfoExchange => ("info_exchange", true, Scale::Unit, "share",
                "share of the crisis's intelligence value that reached Tokyo, discounted for delay, by any path"),
            Metric::InfoViaChannel => ("info_via_channel", true, Scale::Unit, "share",
                "share of the crisis's intelligence value delivered through the Japan-Taiwan channel, discounted for delay"),
            Metric::Evacuation => ("evacuation", true, Scale::Unit, "share",
                "share of the Japanese nationals wishing to leave who got out before routes closed"),
            Metric::RearArea => ("rear_area", true, Scale::Unit, "share",
                "value of rear-area support coordination: readiness, in full when US forces fight"),
            Metric::CoercionRate => ("coercion_rate", false, Scale::Positive, "ECE/year",
                "peacetime coercion during the build-up, in economic-coercion equivalents per year"),
            Metric::MaxRung => ("max_rung", false, Scale::Count, "rung",
                "highest escalation-ladder rung Beijing reached in peacetime (0 = none)"),
            Metric::CrisisEscalation => ("crisis_escalation", false, Scale::Positive, "probability",
                "probability that Beijing escalates against Japan during the invasion"),
            Metric::Launched => ("launched", true, Scale::Unit, "0/1",
                "1 if Tokyo launched the design before the crisis (the status quo is in place from the start)"),
            Metric::ChannelSurvived => ("channel_survived", true, Scale::Unit, "0/1",
                "1 if the channel was active at crisis onset, else 0"),
            Metric::Agreements => ("agreements", true, Scale::Count, "MOUs",
                "MOUs signed during the build-up"),
            Metric::TrustAtCrisis => ("trust_at_crisis", true, Scale::Unit, "0-1",
                "Tokyo-Taipei trust at crisis onset, in [0, 1]"),
            Metric::ActiveShare => ("active_share", true, Scale::Unit, "share",
                "share of build-up months in which the channel was active"),
            Metric::Composite => ("composite", true, Scale::Real, "points",
                "weighted crisis functions minus the coercion and escalation penalties ([weights])"),
        };
        Info {
            name,
            higher_is_better,
            scale,
            unit,
            meaning,
            at_most_one: matches!(scale, Scale::Unit) || matches!(self, Metric::CrisisEscalation),
        }
    }

    /// Column name.
    pub const fn name(self) -> &'static str {
        self.info().name
    }

    /// Position in [`Metric::ALL`] (the column order).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The metric with this column name.
    pub fn from_name(name: &str) -> Option<Metric> {
        Metric::ALL.into_iter().find(|m| m.name() == name)
    }

    /// The values the metric can take, for checking thresholds.
    pub fn valid_range(self) -> (f64, f64) {
        valid_range(&self.info())
    }
}

/// Largest magnitude a score may have: 2^20. The exact accumulators (`stats`) hold each score
/// as a fixed point of 2^-24 and sum the squares of differences in 128 bits, which leaves room
/// for scores up to this size over a billion replications; the scenario reader bounds the
/// weights and the escalation ladder so that no valid scenario can produce a larger one.
pub const MAX_ABS_SCORE: f64 = 1_048_576.0;

/// Number of metrics.
pub const N_METRICS: usize = Metric::ALL.len();

/// Every metric's description, in column order.
pub const METRICS: [Info; N_METRICS] = {
    let mut out = [Metric::Composite.info(); N_METRICS];
    let mut i = 0;
    while i < N_METRICS {
        out[i] = Metric::ALL[i].info();
        i += 1;
    }
    out
};

/// The values a metric can take, for checking thresholds.
pub fn valid_range(m: &Info) -> (f64, f64) {
    match m.scale {
        _ if m.at_most_one => (0.0, 1.0),
        Scale::Unit | Scale::Count | Scale::Positive => (0.0, f64::INFINITY),
        Scale::Real => (f64::NEG_INFINITY, f64::INFINITY),
    }
}

/// Index of the metric with this name.
pub fn index(name: &str) -> Option<usize> {
    Metric::from_name(name).map(Metric::index)
}

/// Metric names in column order.
pub fn names() -> impl Iterator<Item = &'static str> {
    Metric::ALL.into_iter().map(Metric::name)
}

/// The help for `name`, which is not a metric: the nearest metric name, or all of them.
pub fn unknown_help(name: &str) -> String {
    match crate::scenario::suggest(name, names()) {
        Some(g) => format!("did you mean `{g}`?"),
        None => format!("metrics: {}", names().collect::<Vec<_>>().join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_order_is_the_enum_order_and_composite_is_last() {
        for (i, m) in Metric::ALL.into_iter().enumerate() {
            assert_eq!(m.index(), i);
            assert_eq!(METRICS[i].name, m.name());
            assert_eq!(Metric::from_name(m.name()), Some(m));
        }
        assert_eq!(Metric::ALL[N_METRICS - 1], Metric::Composite);
    }
}
