//! The scenario's tables read into the typed structs: `[scenario]`, the world, `[programme]`,
//! `[weights]`, `[thresholds]`, `[[beijing.rung]]` and `[[design]]`, with the checks that
//! span several keys (ids, the ladder's order, the baseline and status-quo designs).

use super::reader::{Reader, Tab};
use super::tree::{Node, Origin, Value};
use super::*;
use crate::metric;

impl Reader<'_> {
    pub(super) fn scenario(&mut self, root: &Node) -> Scenario {
        let mut top = Tab::new(Some(root), String::new(), "the top level".into());
        let mut s = self.table(&mut top, "scenario");
        let before = self.diags.len();
        let name = self.string(&mut s, "name", true);
        let name_given = s.node.and_then(|n| n.get("name")).is_some() && self.diags.len() == before;
        if name_given
            && (name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        {
            let origin = s.node.and_then(|n| n.get("name")).map(|n| n.origin.clone());
            self.err(
                origin.as_ref(),
                "scenario.name".into(),
                format!("`{name}` is not usable in a directory name"),
                Some("use letters, digits, '-', '_' and '.' only".into()),
            );
        }
        let description = self.string(&mut s, "description", false);
        let replications = self.int(&mut s, "replications", 1, MAX_REPLICATIONS);
        let seed = self.int(&mut s, "seed", 0, u64::MAX >> 1);
        let baseline = self.string(&mut s, "baseline", true);
        let baseline_origin = s
            .node
            .and_then(|n| n.get("baseline"))
            .map(|n| n.origin.clone());
        let status_quo_origin = s
            .node
            .and_then(|n| n.get("status_quo"))
            .map(|n| n.origin.clone());
        let status_quo = if status_quo_origin.is_some() {
            self.string(&mut s, "status_quo", true)
        } else {
            s.known.push("status_quo");
            baseline.clone()
        };
        s.known.push("extends");
        self.finish(s);

        let world = self.world(&mut top);
        let programme = {
            let mut t = self.table(&mut top, "programme");
            let programme = Programme {
                cadence_per_year: self.num(&mut t, "cadence_per_year", 0.0, 52.0),
                issue_areas: self.issue_areas(&mut t, true),
            };
            self.finish(t);
            programme
        };
        let weights = {
            let mut w = self.table(&mut top, "weights");
            let inf = f64::INFINITY;
            let weights = Weights {
                info_exchange: self.num(&mut w, "info_exchange", 0.0, inf),
                evacuation: self.num(&mut w, "evacuation", 0.0, inf),
                rear_area: self.num(&mut w, "rear_area", 0.0, inf),
                coercion: self.num(&mut w, "coercion", 0.0, inf),
                escalation: self.num(&mut w, "escalation", 0.0, inf),
            };
            self.finish(w);
            weights
        };
        let thresholds = self.thresholds(&mut top);
        if let Some(n) = top.get("add_design") {
            // Left in place only when it is not an array of tables.
            self.err(
                Some(&n.origin),
                "add_design".into(),
                format!("expected [[add_design]] tables, found {}", n.value.kind()),
                Some("write each added design as an [[add_design]] section".into()),
            );
        }
        let design_origin = top
            .node
            .and_then(|n| n.get("design"))
            .map(|n| n.origin.clone());
        let designs = self.designs(&mut top, &programme);
        let ids_valid = !designs.is_empty() && designs.iter().all(|d| !d.id.is_empty());
        if !baseline.is_empty() && ids_valid && !designs.iter().any(|d| d.id == baseline) {
            let help = match suggest(&baseline, designs.iter().map(|d| d.id.as_str())) {
                Some(g) => format!("did you mean `{g}`?"),
                None => format!(
                    "use one of: {}",
                    designs
                        .iter()
                        .map(|d| d.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            let source = |o: &Option<Origin>| match o {
                Some(Origin::File { source, .. }) => Some(*source),
                _ => None,
            };
            // The hint fits when this file's design list replaced the base's while the
            // baseline id still comes from the base.
            let replaced = matches!(
                (source(&design_origin), source(&baseline_origin)),
                (Some(d), Some(b)) if d > b
            );
            let help = if replaced {
                format!(
                    "{help} (this file's [[design]] list replaces the base scenario's designs: \
                     list `{baseline}` in it too, add designs with [[add_design]] instead, or \
                     set [scenario] baseline)"
                )
            } else {
                help
            };
            self.err(
                baseline_origin.as_ref(),
                "scenario.baseline".into(),
                format!("`{baseline}` is not the id of a design in this scenario"),
                Some(help),
            );
        }
        if !status_quo.is_empty()
            && status_quo_origin.is_some()
            && ids_valid
            && !designs.iter().any(|d| d.id == status_quo)
        {
            let help = match suggest(&status_quo, designs.iter().map(|d| d.id.as_str())) {
                Some(g) => format!("did you mean `{g}`?"),
                None => "name the design that stands for today's channel".to_string(),
            };
            self.err(
                status_quo_origin.as_ref(),
                "scenario.status_quo".into(),
                format!("`{status_quo}` is not the id of a design in this scenario"),
                Some(help),
            );
        }
        self.finish(top);
        Scenario {
            name,
            description,
            replications,
            seed,
            baseline,
            status_quo,
            world,
            programme,
            weights,
            thresholds,
            designs,
        }
    }

    fn thresholds(&mut self, top: &mut Tab<'_>) -> Vec<(String, f64)> {
        let Some(node) = top.get("thresholds") else {
            return Vec::new();
        };
        let Some(entries) = node.entries() else {
            self.err(
                Some(&node.origin),
                "thresholds".into(),
                format!(
                    "expected a table of METRIC = VALUE, found {}",
                    node.value.kind()
                ),
                Some("write a [thresholds] section with lines like evacuation = 0.9".into()),
            );
            return Vec::new();
        };
        let mut out = Vec::new();
        for e in entries {
            let path = format!("thresholds.{}", e.key);
            match metric::index(&e.key) {
                Some(m) => {
                    let (lo, hi) = metric::valid_range(&metric::METRICS[m]);
                    if let Some(v) = self.number_of(&e.node, &path, lo, hi) {
                        out.push((e.key.clone(), v));
                    }
                }
                None => {
                    let help = match suggest(&e.key, metric::names()) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!(
                            "metrics: {}",
                            metric::names().collect::<Vec<_>>().join(", ")
                        ),
                    };
                    self.err(Some(&e.key_origin), path, "not a metric".into(), Some(help));
                }
            }
        }
        out
    }

    fn world(&mut self, top: &mut Tab<'_>) -> WorldParams {
        let mut t = self.table(top, "timeline");
        let timeline = Timeline {
            buildup_months: self.dist(&mut t, "buildup_months", 1.0, MAX_BUILDUP_MONTHS),
        };
        self.finish(t);

        let mut t = self.table(top, "trust");
        let trust = TrustParams {
            initial: self.dist(&mut t, "initial", 0.0, 1.0),
            gain_per_agreement: self.prob(&mut t, "gain_per_agreement"),
            gain_per_meeting: self.prob(&mut t, "gain_per_meeting"),
            pressure_loss: self.prob(&mut t, "pressure_loss"),
            collapse_loss: self.prob(&mut t, "collapse_loss"),
            disruption_loss: self.prob(&mut t, "disruption_loss"),
        };
        self.finish(t);

        let mut t = self.table(top, "agreements");
        let agreements = AgreementParams {
            base_rate: self.prob(&mut t, "base_rate"),
            focus_reference_areas: self.num(
                &mut t,
                "focus_reference_areas",
                1.0,
                Area::ALL.len() as f64,
            ),
            focus_elasticity: self.num(&mut t, "focus_elasticity", 0.0, 5.0),
            consistency_weight: self.prob(&mut t, "consistency_weight"),
            depth_per_agreement: self.prob(&mut t, "depth_per_agreement"),
            authority_exponent: self.num(&mut t, "authority_exponent", 0.0, 10.0),
            cyber_to_intelligence: self.prob(&mut t, "cyber_to_intelligence"),
            maritime_to_evacuation: self.prob(&mut t, "maritime_to_evacuation"),
            maritime_to_rear_area: self.prob(&mut t, "maritime_to_rear_area"),
        };
        self.finish(t);

        let mut t = self.table(top, "beijing");
        let sensitivity = self.num(&mut t, "sensitivity", 0.0, 100.0);
        let disposition = self.dist(&mut t, "disposition", 0.0, 1.0);
        let notice_intensity = self.num(&mut t, "notice_intensity", 0.0, 100.0);
        let provocation_per_meeting = self.num(&mut t, "provocation_per_meeting", 0.0, 1e6);
        let mandate_weight = self.num(&mut t, "mandate_weight", 0.0, 100.0);
        let officialness_exponent = self.num(&mut t, "officialness_exponent", 0.0, 10.0);
        let agreement_provocation = self.num(&mut t, "agreement_provocation", 0.0, 1e6);
        let tacit_discount = self.prob(&mut t, "tacit_discount");
        let irritation_decay = self.prob(&mut t, "irritation_decay");
        let act_probability = self.prob(&mut t, "act_probability");
        let discharge = self.prob(&mut t, "discharge");
        let area_weight = {
            let mut a = self.table(&mut t, "area_weight");
            let mut w = PerArea::default();
            for area in Area::ALL {
                w[area] = self.num(&mut a, area.name(), 0.0, 100.0);
            }
            self.finish(a);
            w
        };
        let crisis_provocation = self.num(&mut t, "crisis_provocation", 0.0, 1e6);
        let crisis_half_irritation = self.num(&mut t, "crisis_half_irritation", 1e-9, 1e9);
        let crisis_escalation_steepness =
            self.num(&mut t, "crisis_escalation_steepness", 0.0, 20.0);
        let agreed_terms_crisis_discount = self.prob(&mut t, "agreed_terms_crisis_discount");
        let unit_origin = t
            .node
            .and_then(|n| n.get("coercion_unit"))
            .map(|n| n.origin.clone());
        let unit_name = self.string(&mut t, "coercion_unit", true);
        let rungs = self.rungs(&mut t);
        let coercion_unit = match rungs.iter().position(|r| r.name == unit_name) {
            Some(i) => i,
            None => {
                if unit_origin.is_some() && !rungs.is_empty() {
                    let names: Vec<&str> = rungs.iter().map(|r| r.name.as_str()).collect();
                    let help = match suggest(&unit_name, names.iter().copied()) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!("rungs: {}", names.join(", ")),
                    };
                    self.err(
                        unit_origin.as_ref(),
                        "beijing.coercion_unit".into(),
                        format!("`{unit_name}` is not the name of a rung of the ladder"),
                        Some(help),
                    );
                }
                0
            }
        };
        if let Some(r) = rungs.get(coercion_unit).filter(|r| r.severity <= 0.0) {
            self.err(
                unit_origin.as_ref(),
                "beijing.coercion_unit".into(),
                format!(
                    "the unit rung `{}` has severity 0; it must be positive",
                    r.name
                ),
                Some("choose a rung with a positive severity as the unit".into()),
            );
        }
        self.finish(t);
        let beijing = BeijingParams {
            sensitivity,
            disposition,
            notice_intensity,
            provocation_per_meeting,
            mandate_weight,
            officialness_exponent,
            agreement_provocation,
            tacit_discount,
            irritation_decay,
            act_probability,
            discharge,
            area_weight,
            crisis_provocation,
            crisis_half_irritation,
            crisis_escalation_steepness,
            agreed_terms_crisis_discount,
            coercion_unit,
            rungs,
        };

        let mut t = self.table(top, "tokyo");
        let tokyo = TokyoParams {
            tolerance: self.dist(&mut t, "tolerance", 1e-9, 1e6),
            memory_months: self.num(&mut t, "memory_months", 0.1, 1200.0),
            launch_share: self.num(&mut t, "launch_share", 0.0, 100.0),
            launch_lag_months: self.dist(&mut t, "launch_lag_months", 0.0, MAX_BUILDUP_MONTHS),
            postpone_sensitivity: self.prob(&mut t, "postpone_sensitivity"),
            pause_months: self.dist(&mut t, "pause_months", 0.0, MAX_BUILDUP_MONTHS),
            collapse_resume_factor: self.num(&mut t, "collapse_resume_factor", 1.0, 100.0),
            resume_fraction: self.prob(&mut t, "resume_fraction"),
            exit_clause_tolerance_factor: self.num(
                &mut t,
                "exit_clause_tolerance_factor",
                0.01,
                100.0,
            ),
            domestic_shock_rate: self.num(&mut t, "domestic_shock_rate", 0.0, 12.0),
            disruption_months: self.num(&mut t, "disruption_months", 0.0, MAX_BUILDUP_MONTHS),
            transactional_tolerance_factor: self.num(
                &mut t,
                "transactional_tolerance_factor",
                0.01,
                100.0,
            ),
            transactional_need_factor: self.num(&mut t, "transactional_need_factor", 0.0, 100.0),
        };
        self.finish(t);

        let mut t = self.table(top, "taipei");
        let taipei = TaipeiParams {
            pressure: self.prob(&mut t, "pressure"),
            japan_led_restraint: self.prob(&mut t, "japan_led_restraint"),
        };
        self.finish(t);

        let mut t = self.table(top, "us");
        let us = UsParams {
            p_transactional: self.prob(&mut t, "p_transactional"),
            p_intervene_reliable: self.prob(&mut t, "p_intervene_reliable"),
            p_intervene_transactional: self.prob(&mut t, "p_intervene_transactional"),
            relay_share_reliable: self.prob(&mut t, "relay_share_reliable"),
            relay_share_transactional: self.prob(&mut t, "relay_share_transactional"),
            relay_latency_hours: self.dist(&mut t, "relay_latency_hours", 0.0, 1e4),
        };
        self.finish(t);

        let mut t = self.table(top, "crisis");
        let crisis = CrisisParams {
            warning_days: self.dist(&mut t, "warning_days", 0.0, 3650.0),
            post_onset_days: self.dist(&mut t, "post_onset_days", 0.0, 3650.0),
            intel_items_per_day: self.num(&mut t, "intel_items_per_day", 0.0, 1000.0),
            intel_half_life_hours: self.num(&mut t, "intel_half_life_hours", 0.01, 1e5),
            liaison_latency_hours: self.dist(&mut t, "liaison_latency_hours", 0.0, 1e4),
            adhoc_latency_hours: self.dist(&mut t, "adhoc_latency_hours", 0.0, 1e4),
            share_floor: self.prob(&mut t, "share_floor"),
            nationals: self.num(&mut t, "nationals", 1.0, 1e8),
            visitors: self.dist(&mut t, "visitors", 0.0, 1e8),
            stay_share: self.dist(&mut t, "stay_share", 0.0, 1.0),
            early_departure_per_day: self.prob(&mut t, "early_departure_per_day"),
            decision_delay_days: self.dist(&mut t, "decision_delay_days", 0.0, 3650.0),
            warning_speedup: self.prob(&mut t, "warning_speedup"),
            adhoc_coordination_days: self.dist(&mut t, "adhoc_coordination_days", 0.0, 3650.0),
            agreed_coordination_days: self.dist(&mut t, "agreed_coordination_days", 0.0, 3650.0),
            commercial_seats_per_day: self.dist(&mut t, "commercial_seats_per_day", 0.0, 1e8),
            japanese_seat_share: self.dist(&mut t, "japanese_seat_share", 0.0, 1.0),
            organised_lift_per_day: self.dist(&mut t, "organised_lift_per_day", 0.0, 1e8),
            adhoc_lift_share: self.prob(&mut t, "adhoc_lift_share"),
            sdf_lift_per_day: self.dist(&mut t, "sdf_lift_per_day", 0.0, 1e8),
            runway_departures_per_day: self.dist(&mut t, "runway_departures_per_day", 0.0, 1e6),
            seats_per_departure: self.num(&mut t, "seats_per_departure", 0.0, 1e4),
            competing_share: self.dist(&mut t, "competing_share", 0.0, 1.0),
            consent_base: self.prob(&mut t, "consent_base"),
            suspended_agreement_value: self.prob(&mut t, "suspended_agreement_value"),
            rear_area_floor: self.prob(&mut t, "rear_area_floor"),
            rear_area_value_without_us: self.prob(&mut t, "rear_area_value_without_us"),
            trust_exponent: self.num(&mut t, "trust_exponent", 0.0, 10.0),
        };
        self.finish(t);
        WorldParams {
            timeline,
            trust,
            agreements,
            beijing,
            tokyo,
            taipei,
            us,
            crisis,
        }
    }

    fn rungs(&mut self, t: &mut Tab<'_>) -> Vec<Rung> {
        let path = t.child_path("rung");
        let Some(node) = t.get("rung") else {
            if t.node.is_some() {
                self.missing(
                    t,
                    "rung",
                    "an escalation ladder: [[beijing.rung]] entries with name, threshold, severity",
                );
            }
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.err(
                Some(&node.origin),
                path,
                format!(
                    "expected [[beijing.rung]] tables, found {}",
                    node.value.kind()
                ),
                Some("write each rung as a [[beijing.rung]] section with name, threshold and severity".into()),
            );
            return Vec::new();
        };
        if items.is_empty() {
            self.err(
                Some(&node.origin),
                path,
                "the escalation ladder is empty; expected at least one rung".into(),
                Some(
                    "add [[beijing.rung]] sections, mildest first (see scenarios/baseline.toml)"
                        .into(),
                ),
            );
            return Vec::new();
        }
        let mut rungs: Vec<Rung> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if !matches!(item.value, Value::Table(_)) {
                self.err(
                    Some(&item.origin),
                    format!("{path}[{i}]"),
                    format!("expected a table, found {}", item.value.kind()),
                    Some("write each rung as a [[beijing.rung]] section".into()),
                );
                continue;
            }
            let mut r = Tab::new(
                Some(item),
                format!("{path}[{i}]"),
                format!("[[beijing.rung]] number {}", i + 1),
            );
            let name = self.string(&mut r, "name", true);
            let threshold = self.num(&mut r, "threshold", 1e-9, 1e9);
            let severity = self.num(&mut r, "severity", 0.0, 1e5);
            if let Some(prev) = rungs.last().filter(|_| r.missing.is_empty()) {
                if threshold <= prev.threshold || severity < prev.severity {
                    self.err(
                        Some(&item.origin),
                        r.path.clone(),
                        format!(
                            "rungs must climb: threshold {threshold} must exceed, and severity {severity} be at least, the previous rung's ({} and {})",
                            prev.threshold, prev.severity
                        ),
                        Some("list rungs from the mildest (verbal warning) to the most severe".into()),
                    );
                }
            }
            self.finish(r);
            rungs.push(Rung {
                name,
                threshold,
                severity,
            });
        }
        rungs
    }

    fn designs(&mut self, top: &mut Tab<'_>, common: &Programme) -> Vec<Design> {
        let Some(node) = top.get("design") else {
            self.missing(top, "design", "at least one [[design]] entry");
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.err(
                Some(&node.origin),
                "design".into(),
                format!("expected [[design]] tables, found {}", node.value.kind()),
                Some("write each design as a [[design]] section".into()),
            );
            return Vec::new();
        };
        if items.is_empty() {
            self.err(
                Some(&node.origin),
                "design".into(),
                "the design list is empty; expected at least one [[design]]".into(),
                Some("add [[design]] sections (copy them from scenarios/baseline.toml)".into()),
            );
            return Vec::new();
        }
        if items.len() > MAX_DESIGNS {
            self.err(
                Some(&node.origin),
                "design".into(),
                format!(
                    "{} designs; at most {MAX_DESIGNS} are supported in one scenario",
                    items.len()
                ),
                Some("split the comparison into several scenarios".into()),
            );
        }
        let mut designs: Vec<Design> = Vec::new();
        let mut id_origins: Vec<Option<Origin>> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if !matches!(item.value, Value::Table(_)) {
                self.err(
                    Some(&item.origin),
                    format!("design[{i}]"),
                    format!("expected a table, found {}", item.value.kind()),
                    Some("write each design as a [[design]] section".into()),
                );
                continue;
            }
            let id_node = item.get("id");
            let id = match id_node.map(|n| &n.value) {
                Some(Value::Str(s)) => s.clone(),
                _ => format!("#{}", i + 1),
            };
            let mut t = Tab::new(
                Some(item),
                format!("design.{id}"),
                format!("the [[design]] entry with id = \"{id}\""),
            );
            let before = self.diags.len();
            let id_read = self.string(&mut t, "id", true);
            if self.diags.len() == before
                && id_node.is_some()
                && (id_read.is_empty()
                    || !id_read.chars().all(|c| {
                        c.is_ascii_lowercase()
                            || c.is_ascii_digit()
                            || c == '-'
                            || c == '.'
                            || c == '_'
                    }))
            {
                self.err(
                    id_node.map(|n| &n.origin),
                    t.child_path("id"),
                    format!("`{id_read}` is not a valid design id"),
                    Some(
                        "use lowercase letters, digits, '-', '_' and '.', e.g. \"track-1.5\""
                            .into(),
                    ),
                );
            }
            if let Some(j) = designs
                .iter()
                .position(|d| d.id == id_read && !id_read.is_empty())
            {
                let first = match self.line_of(id_origins[j].as_ref()) {
                    Some(line) => format!("at line {line}"),
                    None => "earlier".to_string(),
                };
                self.err(
                    id_node.map(|n| &n.origin),
                    t.child_path("id"),
                    format!("duplicate design id `{id_read}` (first used {first})"),
                    Some("give each design a unique id".into()),
                );
            }
            let name = self.string(&mut t, "name", true);
            let description = self.string(&mut t, "description", false);
            let form = Form {
                authority: self.prob(&mut t, "authority"),
                officialness: self.prob(&mut t, "officialness"),
                security_mandate: self.prob(&mut t, "security_mandate"),
                visibility: self.prob(&mut t, "visibility"),
                format_consistency: self.prob(&mut t, "format_consistency"),
                domestic_exposure: self.prob(&mut t, "domestic_exposure"),
                standing_liaison: self.boolean(&mut t, "standing_liaison"),
                exit_clause: self.boolean(&mut t, "exit_clause"),
                pace: match self.choice(&mut t, "pace", &["japan-led", "joint"]) {
                    0 => Pace::JapanLed,
                    _ => Pace::Joint,
                },
            };
            // The programme is the scenario's common one; a design may set its own cadence or
            // agenda, and the outputs say so.
            let mut programme = *common;
            let mut own_programme = false;
            if item.get("cadence_per_year").is_some() {
                programme.cadence_per_year = self.num(&mut t, "cadence_per_year", 0.0, 52.0);
                own_programme = true;
            } else {
                t.known.push("cadence_per_year");
            }
            if item.get("issue_areas").is_some() {
                programme.issue_areas = self.issue_areas(&mut t, true);
                own_programme = true;
            } else {
                t.known.push("issue_areas");
            }
            self.finish(t);
            id_origins.push(id_node.map(|n| n.origin.clone()));
            designs.push(Design {
                id: id_read,
                name,
                description,
                form,
                programme,
                own_programme,
            });
        }
        designs
    }
}
