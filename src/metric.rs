//! The scores a replication produces for each design: names, ranges and which way is better.
//!
//! This list is the contract of the CSV columns (docs/OUTPUTS.md); the formulas are in
//! docs/MODEL.md and `model::crisis`.

/// How a metric's values are binned for quantiles (see `stats::Histogram`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// A share in [0, 1].
    Unit,
    /// A whole number >= 0.
    Count,
    /// Any real number.
    Real,
}

/// One metric.
#[derive(Clone, Copy, Debug)]
pub struct Metric {
    /// Column name in the CSVs.
    pub name: &'static str,
    /// True when a higher value is better for Japan and Taiwan.
    pub higher_is_better: bool,
    /// How values are binned.
    pub scale: Scale,
    /// One-line meaning.
    pub meaning: &'static str,
}

/// Every metric, in column order. `composite` is last.
pub const METRICS: [Metric; 11] = [
    Metric {
        name: "info_exchange",
        higher_is_better: true,
        scale: Scale::Unit,
        meaning: "share of the crisis's intelligence value that reached Tokyo, discounted for delay, by any path",
    },
    Metric {
        name: "info_via_channel",
        higher_is_better: true,
        scale: Scale::Unit,
        meaning: "share of the crisis's intelligence value delivered through the Japan-Taiwan channel, discounted for delay",
    },
    Metric {
        name: "evacuation",
        higher_is_better: true,
        scale: Scale::Unit,
        meaning: "share of Japanese nationals evacuated before the window closed",
    },
    Metric {
        name: "rear_area",
        higher_is_better: true,
        scale: Scale::Unit,
        meaning: "readiness of rear-area support coordination at crisis onset",
    },
    Metric {
        name: "backlash",
        higher_is_better: false,
        scale: Scale::Real,
        meaning: "severity-weighted Chinese retaliation over build-up and crisis, in ladder points",
    },
    Metric {
        name: "max_rung",
        higher_is_better: false,
        scale: Scale::Count,
        meaning: "highest escalation-ladder rung Beijing reached (0 = none)",
    },
    Metric {
        name: "channel_survived",
        higher_is_better: true,
        scale: Scale::Unit,
        meaning: "1 if the channel was active at crisis onset, else 0",
    },
    Metric {
        name: "agreements",
        higher_is_better: true,
        scale: Scale::Count,
        meaning: "MOUs signed during the build-up",
    },
    Metric {
        name: "trust_at_crisis",
        higher_is_better: true,
        scale: Scale::Unit,
        meaning: "Tokyo-Taipei trust at crisis onset, in [0, 1]",
    },
    Metric {
        name: "active_share",
        higher_is_better: true,
        scale: Scale::Unit,
        meaning: "share of build-up months in which the channel was active",
    },
    Metric {
        name: "composite",
        higher_is_better: true,
        scale: Scale::Real,
        meaning: "weighted sum of the scores, minus the backlash penalty ([weights])",
    },
];

/// Number of metrics.
pub const N_METRICS: usize = METRICS.len();

/// The values a metric can take, for checking thresholds: shares lie in [0, 1], counts are
/// >= 0, and backlash is >= 0.
pub fn valid_range(m: &Metric) -> (f64, f64) {
    match m.scale {
        Scale::Unit => (0.0, 1.0),
        Scale::Count => (0.0, f64::INFINITY),
        Scale::Real if m.name == "backlash" => (0.0, f64::INFINITY),
        Scale::Real => (f64::NEG_INFINITY, f64::INFINITY),
    }
}

/// Index of the metric with this name.
pub fn index(name: &str) -> Option<usize> {
    METRICS.iter().position(|m| m.name == name)
}

/// Metric names in column order.
pub fn names() -> impl Iterator<Item = &'static str> {
    METRICS.iter().map(|m| m.name)
}
