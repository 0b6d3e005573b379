//! The scenario's tables read into the typed structs: `[scenario]`, the world, `[programme]`,
//! `[weights]`, `[thresholds]`, `[[beijing.rung]]` and `[[design]]`. Each table's keys are
//! read as [`super::schema`] declares them; this module adds the checks that span several
//! keys (ids, the ladder's order, the coercion unit, the baseline and status-quo designs) and
//! fills each struct field from the key of the same name.

use super::reader::{fill, Reader, Tab, Val, Values};
use super::schema::{self, Table};
use super::tree::{Node, Origin, Value};
use super::*;
use crate::metric;

impl Reader<'_> {
    pub(super) fn scenario(&mut self, root: &Node) -> Scenario {
        let mut top = Tab::new(Some(root), String::new(), "the top level".into());
        let mut s = self.table(&mut top, schema::SCENARIO.path);
        let mut v = Values::default();
        for p in schema::SCENARIO.params {
            let val = self.param(&mut s, p);
            if let ("name", Val::Text(name)) = (p.key, &val) {
                self.check_scenario_name(s.node, name.as_str());
            }
            v.push(p.key, val);
        }
        let baseline_origin = s
            .node
            .and_then(|n| n.get("baseline"))
            .map(|n| n.origin.clone());
        let status_quo_origin = s
            .node
            .and_then(|n| n.get("status_quo"))
            .map(|n| n.origin.clone());
        // Resolved by the loader before reading: known here, never read.
        s.known.push("extends");
        self.finish(s);
        let name: String = v.get("name");
        let description: String = v.take("description").unwrap_or_default();
        let replications: u64 = v.get("replications");
        let seed: u64 = v.get("seed");
        let baseline: String = v.get("baseline");
        let status_quo: String = v.take("status_quo").unwrap_or_else(|| baseline.clone());

        let mut world = self.world(&mut top);
        world.injects = self.injects(&mut top, &world.beijing.rungs);
        let mut v = self.section(&mut top, &schema::PROGRAMME);
        let programme = fill!(
            v,
            Programme {
                cadence_per_year,
                issue_areas
            }
        );
        let mut v = self.section(&mut top, &schema::WEIGHTS);
        let weights = fill!(
            v,
            Weights {
                info_exchange,
                evacuation,
                rear_area,
                coercion,
                escalation,
            }
        );
        self.check_score_range(top.node, &world.beijing, &weights);
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
        // Where the design list and each design's id come from: a `--set` that changed them
        // is the cause of a baseline or status quo that no longer names a design.
        let mut id_origins = vec![design_origin.clone()];
        if let Some(Value::Array(items)) = top.node.and_then(|n| n.get("design")).map(|n| &n.value)
        {
            for item in items {
                id_origins.push(Some(item.origin.clone()));
                id_origins.push(item.get("id").map(|n| n.origin.clone()));
            }
        }
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
            self.err_involving(
                baseline_origin.as_ref(),
                &id_origins.iter().map(Option::as_ref).collect::<Vec<_>>(),
                "scenario.baseline".into(),
                format!("`{baseline}` is not the id of a design in this scenario"),
                Some(help),
            );
        }
        // A status quo named with a design list that a later file replaced falls back to the
        // baseline: the variant's own list is what it names (docs/MODEL.md §5).
        let list_replaced = matches!(
            (source(&design_origin), source(&status_quo_origin)),
            (Some(d), Some(q)) if d > q
        );
        let status_quo = if list_replaced && !designs.iter().any(|d| d.id == status_quo) {
            baseline.clone()
        } else {
            status_quo
        };
        if !status_quo.is_empty()
            && status_quo_origin.is_some()
            && !list_replaced
            && ids_valid
            && !designs.iter().any(|d| d.id == status_quo)
        {
            let help = match suggest(&status_quo, designs.iter().map(|d| d.id.as_str())) {
                Some(g) => format!("did you mean `{g}`?"),
                None => "name the design that stands for today's channel".to_string(),
            };
            self.err_involving(
                status_quo_origin.as_ref(),
                &id_origins.iter().map(Option::as_ref).collect::<Vec<_>>(),
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

    /// Every score must stay within ±[`metric::MAX_ABS_SCORE`], the range the exact
    /// accumulators hold. The metrics in [0, 1] and the counts do by construction; coercion_rate
    /// and the composite depend on the ladder and the weights. Beijing acts at most once a
    /// month, so coercion_rate (ECE a year) is at most 12 × the most severe rung's severity
    /// over the unit rung's; the composite lies between -(coercion × that + escalation) and
    /// info_exchange + evacuation + rear_area.
    fn check_score_range(&mut self, root: Option<&Node>, b: &BeijingParams, w: &Weights) {
        // Problems with the ladder or the weights themselves have been reported already.
        if self.diags.iter().any(|d| {
            d.path.starts_with("beijing.rung")
                || d.path.starts_with("beijing.coercion_unit")
                || d.path.starts_with("weights")
        }) {
            return;
        }
        let limit = metric::MAX_ABS_SCORE;
        let origin = |path: &[&str]| {
            path.iter()
                .try_fold(root?, |n, k| n.get(k))
                .map(|n| n.origin.clone())
        };
        let ladder = origin(&["beijing", "rung"]);
        let unit = origin(&["beijing", "coercion_unit"]);
        let top = (0..b.rungs.len())
            .map(|k| b.severity_ece(k))
            .fold(0.0, f64::max);
        let coercion_max = 12.0 * top;
        if coercion_max > limit {
            self.err_involving(
                ladder.as_ref(),
                &[unit.as_ref()],
                "beijing.rung".into(),
                format!(
                    "the most severe rung weighs {} ECE (its severity over the unit rung's), so \
                     coercion_rate could reach 12 × that = {} ECE a year, beyond {limit} (2^20), \
                     the largest score the results hold exactly",
                    fmt(top),
                    fmt(coercion_max)
                ),
                Some(format!(
                    "keep the most severe rung within {} times the unit rung \
                     (beijing.coercion_unit): raise the unit rung's severity or lower the others'",
                    fmt((limit / 12.0).floor())
                )),
            );
            return;
        }
        let keys = [
            "info_exchange",
            "evacuation",
            "rear_area",
            "coercion",
            "escalation",
        ];
        let gain = [w.info_exchange, w.evacuation, w.rear_area];
        let loss = [w.coercion * coercion_max, w.escalation];
        let (side, terms, index): (&str, &[f64], usize) = if gain.iter().sum::<f64>() > limit {
            ("+", &gain, 0)
        } else if loss.iter().sum::<f64>() > limit {
            ("-", &loss, 3)
        } else {
            return;
        };
        let total: f64 = terms.iter().sum();
        // Reported at the weight that contributes most (or at a --set among them).
        let largest = (0..terms.len())
            .max_by(|&a, &b| terms[a].total_cmp(&terms[b]))
            .unwrap_or(0);
        let involved: Vec<Option<Origin>> = (0..terms.len())
            .map(|i| origin(&["weights", keys[index + i]]))
            .chain([ladder.clone(), unit.clone()])
            .collect();
        let how = if side == "+" {
            "info_exchange + evacuation + rear_area".to_string()
        } else {
            format!(
                "coercion × {} + escalation, {} ECE a year being the largest coercion_rate the \
                 ladder allows",
                fmt(coercion_max),
                fmt(coercion_max)
            )
        };
        self.err_involving(
            involved[largest].as_ref(),
            &involved.iter().map(Option::as_ref).collect::<Vec<_>>(),
            format!("weights.{}", keys[index + largest]),
            format!(
                "the composite could reach {side}{} = {how}; that is beyond ±{limit} (2^20), \
                 the largest score the results hold exactly",
                fmt(total)
            ),
            Some(
                "scale the weights down together: rankings, P(best) and the signs of the \
                 comparisons depend only on their ratios"
                    .into(),
            ),
        );
    }

    fn thresholds(&mut self, top: &mut Tab<'_>) -> Vec<(String, f64)> {
        let Some(node) = top.get(schema::THRESHOLDS.path) else {
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

    /// `[scenario] name` becomes a directory name.
    fn check_scenario_name(&mut self, table: Option<&Node>, name: &str) {
        let Some(node) = table.and_then(|n| n.get("name")) else {
            return;
        };
        // A name of the wrong type has been reported already.
        if matches!(node.value, Value::Str(_))
            && (name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.'))
        {
            self.err(
                Some(&node.origin),
                "scenario.name".into(),
                format!("`{name}` is not usable in a directory name"),
                Some("use letters, digits, '-', '_' and '.' only".into()),
            );
        }
    }

    /// A top-level `[table]` without checks between its keys: every declared key, then the
    /// unknown and missing ones.
    fn section(&mut self, top: &mut Tab<'_>, table: &'static Table) -> Values {
        let mut t = self.table(top, table.path);
        let values = self.params(&mut t, table);
        self.finish(t);
        values
    }

    fn world(&mut self, top: &mut Tab<'_>) -> WorldParams {
        let mut v = self.section(top, &schema::TIMELINE);
        let timeline = fill!(v, Timeline { buildup_months });

        let mut v = self.section(top, &schema::TRUST);
        let trust = fill!(
            v,
            TrustParams {
                initial,
                gain_per_agreement,
                gain_per_meeting,
                pressure_loss,
                collapse_loss,
                disruption_loss,
            }
        );

        let mut v = self.section(top, &schema::AGREEMENTS);
        let agreements = fill!(
            v,
            AgreementParams {
                base_rate,
                focus_reference_areas,
                focus_elasticity,
                consistency_weight,
                depth_per_agreement,
                authority_exponent,
                cyber_to_intelligence,
                maritime_to_evacuation,
                maritime_to_rear_area,
            }
        );

        let beijing = self.beijing(top);

        let mut v = self.section(top, &schema::TOKYO);
        let tokyo = fill!(
            v,
            TokyoParams {
                tolerance,
                memory_months,
                launch_share,
                launch_lag_months,
                postpone_sensitivity,
                pause_months,
                collapse_resume_factor,
                resume_fraction,
                exit_clause_tolerance_factor,
                domestic_shock_rate,
                disruption_months,
                transactional_tolerance_factor,
                transactional_need_factor,
                raise_step: v.take("raise_step").unwrap_or(DEFAULT_RAISE_STEP),
            }
        );

        let mut v = self.section(top, &schema::TAIPEI);
        let taipei = fill!(
            v,
            TaipeiParams {
                pressure,
                japan_led_restraint,
            }
        );

        let mut v = self.section(top, &schema::US);
        let us = fill!(
            v,
            UsParams {
                p_transactional,
                p_intervene_reliable,
                p_intervene_transactional,
                relay_share_reliable,
                relay_share_transactional,
                relay_latency_hours,
            }
        );

        let mut v = self.section(top, &schema::CRISIS);
        let crisis = fill!(
            v,
            CrisisParams {
                warning_days,
                post_onset_days,
                intel_items_per_day,
                intel_half_life_hours,
                liaison_latency_hours,
                adhoc_latency_hours,
                share_floor,
                nationals,
                visitors,
                stay_share,
                early_departure_per_day,
                decision_delay_days,
                warning_speedup,
                adhoc_coordination_days,
                agreed_coordination_days,
                commercial_seats_per_day,
                japanese_seat_share,
                organised_lift_per_day,
                adhoc_lift_share,
                sdf_lift_per_day,
                runway_departures_per_day,
                seats_per_departure,
                competing_share,
                consent_base,
                suspended_agreement_value,
                rear_area_floor,
                rear_area_value_without_us,
                trust_exponent,
            }
        );
        WorldParams {
            timeline,
            trust,
            agreements,
            beijing,
            tokyo,
            taipei,
            us,
            crisis,
            injects: Vec::new(),
        }
    }

    /// `[[inject]]`: the scenario's MSEL (docs/MODEL.md §10). Each entry takes the keys its
    /// type declares in [`schema::INJECT_KEYS`] and one trigger, `month` or `after_rung`
    /// (none for a shortened warning, which happens at the warning).
    fn injects(&mut self, top: &mut Tab<'_>, rungs: &[Rung]) -> Vec<Inject> {
        let Some(node) = top.get(schema::INJECT.path) else {
            return Vec::new();
        };
        let Value::Array(items) = &node.value else {
            self.err(
                Some(&node.origin),
                "inject".into(),
                format!("expected [[inject]] tables, found {}", node.value.kind()),
                Some("write each inject as an [[inject]] section".into()),
            );
            return Vec::new();
        };
        if items.len() > MAX_INJECTS {
            self.err(
                Some(&node.origin),
                "inject".into(),
                format!(
                    "{} injects; at most {MAX_INJECTS} are supported in one scenario",
                    items.len()
                ),
                Some("split the exercise into several scenarios".into()),
            );
            return Vec::new();
        }
        let mut out: Vec<Inject> = Vec::new();
        for (i, item) in items.iter().enumerate() {
            if !matches!(item.value, Value::Table(_)) {
                self.err(
                    Some(&item.origin),
                    format!("inject[{i}]"),
                    format!("expected a table, found {}", item.value.kind()),
                    Some("write each inject as an [[inject]] section".into()),
                );
                continue;
            }
            let id = match item.get("id").map(|n| &n.value) {
                Some(Value::Str(s)) => s.clone(),
                _ => format!("#{}", i + 1),
            };
            let mut t = Tab::new(
                Some(item),
                format!("inject.{id}"),
                format!("the [[inject]] entry with id = \"{id}\""),
            );
            let mut v = self.params(&mut t, &schema::INJECT);
            let origin = |key: &str| item.get(key).map(|n| n.origin.clone());
            let id_read: String = v.get("id");
            if item
                .get("id")
                .is_some_and(|n| matches!(n.value, Value::Str(_)))
            {
                let valid = !id_read.is_empty()
                    && id_read
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
                if !valid {
                    self.err(
                        origin("id").as_ref(),
                        t.child_path("id"),
                        format!("`{id_read}` is not a valid inject id"),
                        Some(
                            "use letters, digits, '-', '_' and '.', e.g. \"3\" or \"leak\"".into(),
                        ),
                    );
                } else if out.iter().any(|x| x.id == id_read) {
                    self.err(
                        origin("id").as_ref(),
                        t.child_path("id"),
                        format!("duplicate inject id `{id_read}`"),
                        Some("number the injects of the MSEL uniquely".into()),
                    );
                }
            }
            let type_name: &str = v.get("type");
            let text: String = v.take("text").unwrap_or_default();
            let expected: String = v.take("expected").unwrap_or_default();
            let month: Option<u64> = v.take("month");
            let after: Option<String> = v.take("after_rung");
            let allowed = schema::INJECT_KEYS
                .iter()
                .find(|(name, _)| *name == type_name)
                .map_or(&[][..], |(_, keys)| *keys);
            // Keys of another type are refused: a drill's `coercion` on a leak would be ignored.
            for (_, keys) in schema::INJECT_KEYS.iter() {
                for key in keys.iter().filter(|k| !allowed.contains(k)) {
                    if let Some(o) = origin(key) {
                        if !type_name.is_empty() {
                            self.err(
                                Some(&o),
                                t.child_path(key),
                                format!("`{key}` is not a key of a {type_name} inject"),
                                Some(format!(
                                    "a {type_name} inject takes: {}",
                                    allowed.join(", ")
                                )),
                            );
                        }
                    }
                }
            }
            let mut need = |this: &mut Self, key: &str| -> Option<Val> {
                let val = v.take_val(key);
                match val {
                    Some(Val::Absent) | None => {
                        this.err(
                            Some(&item.origin),
                            format!("inject.{id}.{key}"),
                            format!("missing key `{key}`; a {type_name} inject needs it"),
                            Some(format!(
                                "add `{key} = ...` to the [[inject]] entry (docs/MODEL.md §10)"
                            )),
                        );
                        None
                    }
                    some => some,
                }
            };
            let num = |x: Option<Val>| match x {
                Some(Val::Num(n)) => n,
                _ => 0.0,
            };
            let kind = match type_name {
                "live-fire-drill" => InjectKind::LiveFireDrill {
                    coercion: num(need(self, "coercion")),
                    irritation: num(need(self, "irritation")),
                },
                "leak" => InjectKind::Leak {
                    meetings: num(need(self, "meetings")),
                },
                "government-change" => InjectKind::GovernmentChange {
                    tolerance_factor: num(need(self, "tolerance_factor")),
                },
                "us-statement" => InjectKind::UsStatement {
                    transactional: matches!(
                        need(self, "posture"),
                        Some(Val::Choice("transactional"))
                    ),
                },
                "shortened-warning" => InjectKind::ShortenedWarning {
                    warning_share: num(need(self, "warning_share")),
                },
                _ => {
                    // The type was wrong or missing: reported by the choice reader.
                    self.finish(t);
                    continue;
                }
            };
            let at = match (kind, month, after) {
                (InjectKind::ShortenedWarning { .. }, None, None) => InjectTime::Warning,
                (InjectKind::ShortenedWarning { .. }, m, a) => {
                    let key = if m.is_some() { "month" } else { "after_rung" };
                    let _ = a;
                    self.err(
                        origin(key).as_ref(),
                        t.child_path(key),
                        "a shortened-warning inject happens at the warning and takes no trigger"
                            .into(),
                        Some(format!("remove `{key}`")),
                    );
                    InjectTime::Warning
                }
                (_, Some(m), None) => InjectTime::Month(m as u32),
                (_, None, Some(name)) => match rungs.iter().position(|r| r.name == name) {
                    Some(k) => InjectTime::AfterRung(k),
                    None => {
                        let names = rungs.iter().map(|r| r.name.as_str());
                        let help = match suggest(&name, names.clone()) {
                            Some(g) => format!("did you mean `{g}`?"),
                            None => format!(
                                "use a rung of [[beijing.rung]]: {}",
                                names.collect::<Vec<_>>().join(", ")
                            ),
                        };
                        self.err(
                            origin("after_rung").as_ref(),
                            t.child_path("after_rung"),
                            format!("`{name}` is not a rung of Beijing's ladder"),
                            Some(help),
                        );
                        InjectTime::Month(0)
                    }
                },
                (_, Some(_), Some(_)) => {
                    self.err(
                        origin("after_rung").as_ref(),
                        t.child_path("after_rung"),
                        "an inject takes one trigger: `month` or `after_rung`, not both".into(),
                        Some("remove one of them".into()),
                    );
                    InjectTime::Month(0)
                }
                (_, None, None) => {
                    self.err(
                        Some(&item.origin),
                        format!("inject.{id}.month"),
                        "missing trigger; expected `month = N` or `after_rung = \"NAME\"`".into(),
                        Some(
                            "add `month = 24` (the start of month 24) or `after_rung = \"economic-coercion\"`"
                                .into(),
                        ),
                    );
                    InjectTime::Month(0)
                }
            };
            self.finish(t);
            out.push(Inject {
                id: id_read,
                text,
                expected,
                at,
                kind,
            });
        }
        out
    }

    /// `[beijing]`: its keys, then the coercion unit checked against the ladder.
    fn beijing(&mut self, top: &mut Tab<'_>) -> BeijingParams {
        let mut t = self.table(top, schema::BEIJING.path);
        let mut v = self.params(&mut t, &schema::BEIJING);
        let unit_origin = t
            .node
            .and_then(|n| n.get("coercion_unit"))
            .map(|n| n.origin.clone());
        let unit_name: String = v.get("coercion_unit");
        let ladder_origin = t.node.and_then(|n| n.get("rung")).map(|n| n.origin.clone());
        let rungs: Vec<Rung> = v.get("rung");
        // A ladder with problems of its own is reported as such, not as a missing unit rung.
        let ladder_ok = !self
            .diags
            .iter()
            .any(|d| d.path.starts_with("beijing.rung"));
        let coercion_unit = match rungs.iter().position(|r| r.name == unit_name) {
            Some(i) => i,
            None => {
                if unit_origin.is_some() && !rungs.is_empty() && ladder_ok {
                    let names: Vec<&str> = rungs.iter().map(|r| r.name.as_str()).collect();
                    let help = match suggest(&unit_name, names.iter().copied()) {
                        Some(g) => format!("did you mean `{g}`?"),
                        None => format!(
                            "set [beijing] coercion_unit to the rung that counts as one unit of \
                             coercion; rungs: {}",
                            names.join(", ")
                        ),
                    };
                    self.err_involving(
                        unit_origin.as_ref(),
                        &[ladder_origin.as_ref()],
                        "beijing.coercion_unit".into(),
                        format!("`{unit_name}` is not the name of a rung of the ladder"),
                        Some(help),
                    );
                }
                0
            }
        };
        if let Some(r) = rungs.get(coercion_unit).filter(|r| r.severity <= 0.0) {
            self.err_involving(
                unit_origin.as_ref(),
                &[ladder_origin.as_ref()],
                "beijing.coercion_unit".into(),
                format!(
                    "the unit rung `{}` has severity 0; it must be positive",
                    r.name
                ),
                Some("choose a rung with a positive severity as the unit".into()),
            );
        }
        self.finish(t);
        let mut weights: Values = v.get("area_weight");
        let mut area_weight = PerArea::default();
        for area in Area::ALL {
            area_weight[area] = weights.get(area.name());
        }
        fill!(
            v,
            BeijingParams {
                sensitivity,
                disposition,
                notice_intensity,
                provocation_per_meeting,
                mandate_weight,
                officialness_exponent,
                agreement_provocation,
                area_weight: area_weight,
                tacit_discount,
                irritation_decay,
                act_probability,
                discharge,
                crisis_provocation,
                crisis_half_irritation,
                crisis_escalation_steepness,
                agreed_terms_discount,
                coercion_unit: coercion_unit,
                rungs: rungs,
            }
        )
    }

    /// The escalation ladder: `[[beijing.rung]]` tables with the keys `table` declares, each
    /// rung above the one before.
    pub(super) fn rungs(
        &mut self,
        t: &mut Tab<'_>,
        key: &'static str,
        table: &'static Table,
    ) -> Vec<Rung> {
        let path = t.child_path(key);
        let Some(node) = t.get(key) else {
            if t.node.is_some() {
                self.missing(
                    t,
                    key,
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
            let mut v = self.params(&mut r, table);
            let rung = fill!(
                v,
                Rung {
                    name,
                    threshold,
                    severity,
                }
            );
            let (threshold, severity) = (rung.threshold, rung.severity);
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
            rungs.push(rung);
        }
        rungs
    }

    fn designs(&mut self, top: &mut Tab<'_>, common: &Programme) -> Vec<Design> {
        let Some(node) = top.get(schema::DESIGN.path) else {
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
            let mut v = Values::default();
            let mut id_read = String::new();
            for p in schema::DESIGN.params {
                let val = self.param(&mut t, p);
                if let ("id", Val::Text(id)) = (p.key, &val) {
                    id_read = id.clone();
                    self.check_design_id(id_node, &t, &id_read, &designs, &id_origins);
                }
                v.push(p.key, val);
            }
            let name: String = v.get("name");
            let description: String = v.take("description").unwrap_or_default();
            let pace_name: &str = v.get("pace");
            let form = fill!(
                v,
                Form {
                    authority,
                    officialness,
                    security_mandate,
                    visibility,
                    format_consistency,
                    domestic_exposure,
                    standing_liaison,
                    exit_clause,
                    pace: pace(pace_name),
                }
            );
            // The programme is the scenario's common one; a design may set its own cadence or
            // agenda, and the outputs say so.
            let mut programme = *common;
            let mut own_programme = false;
            if let Some(cadence) = v.take("cadence_per_year") {
                programme.cadence_per_year = cadence;
                own_programme = true;
            }
            if let Some(areas) = v.take("issue_areas") {
                programme.issue_areas = areas;
                own_programme = true;
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

    /// A design id is a word of lowercase letters, digits and `-_.`, used once.
    fn check_design_id(
        &mut self,
        id_node: Option<&Node>,
        t: &Tab<'_>,
        id_read: &str,
        designs: &[Design],
        id_origins: &[Option<Origin>],
    ) {
        // An id of the wrong type has been reported already.
        if id_node.is_some_and(|n| matches!(n.value, Value::Str(_)))
            && (id_read.is_empty()
                || !id_read.chars().all(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '.' || c == '_'
                }))
        {
            self.err(
                id_node.map(|n| &n.origin),
                t.child_path("id"),
                format!("`{id_read}` is not a valid design id"),
                Some("use lowercase letters, digits, '-', '_' and '.', e.g. \"track-1.5\"".into()),
            );
        }
        if let Some(j) = designs
            .iter()
            .position(|d| d.id == id_read && !id_read.is_empty())
        {
            let first = match (self.line_of(id_origins[j].as_ref()), &id_origins[j]) {
                (Some(line), _) => format!("(first used at line {line})"),
                (None, Some(Origin::Override(_))) => "(first given by this --set)".to_string(),
                (None, _) => "(first used earlier)".to_string(),
            };
            self.err_involving(
                id_node.map(|n| &n.origin),
                &[id_origins[j].as_ref()],
                t.child_path("id"),
                format!("duplicate design id `{id_read}` {first}"),
                Some("give each design a unique id".into()),
            );
        }
    }
}

/// A number for a message: shortest form, in exponent notation when large.
fn fmt(x: f64) -> String {
    if x.abs() >= 1e7 {
        format!("{x:e}")
    } else {
        format!("{}", (x * 1e4).round() / 1e4)
    }
}

/// The pace named in a scenario file; an unknown name has been reported already.
fn pace(name: &str) -> Pace {
    if name == Pace::Joint.name() {
        Pace::Joint
    } else {
        Pace::JapanLed
    }
}

/// The index of the source file a value came from, if it came from a file (later files in an
/// `extends` chain have higher indices).
fn source(o: &Option<Origin>) -> Option<usize> {
    match o {
        Some(Origin::File { source, .. }) => Some(*source),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::super::schema::{self, Key, Kind};
    use super::*;

    fn load(overrides: &[String]) -> Scenario {
        let ovs: Vec<Override> = overrides
            .iter()
            .map(|s| Override::parse(s).expect("override"))
            .collect();
        match load_str("baseline", BASELINE_TOML, &ovs) {
            Ok(l) => l.scenario,
            Err(e) => panic!("{overrides:?}: {e}"),
        }
    }

    /// A valid value for `kind` that no shipped scenario uses, as TOML, and how the typed
    /// struct's `Debug` shows it.
    fn probe(kind: Kind) -> Option<(String, String)> {
        let number = |lo: f64, hi: f64| lo + (hi.min(lo + 1.0) - lo) * 0.617_283;
        match kind {
            Kind::Number { lo, hi } | Kind::Dist { lo, hi } => {
                let v = number(lo, hi);
                let shown = match kind {
                    Kind::Dist { .. } => format!("Fixed({v:?})"),
                    _ => format!("{v:?}"),
                };
                Some((format!("{v:?}"), shown))
            }
            Kind::Prob => Some(("0.617283".into(), "0.617283".into())),
            Kind::Int { lo, .. } => Some(((lo + 7).to_string(), (lo + 7).to_string())),
            Kind::Text => Some(("\"zz-probe\"".into(), "\"zz-probe\"".into())),
            _ => None,
        }
    }

    /// Every declared key reaches the field of the same name: setting it to a value no
    /// scenario uses shows that value in the field (a key the fill forgot, or took into
    /// another field, fails here).
    #[test]
    fn every_declared_key_is_read_into_its_field() {
        let mut checked = 0;
        for Key { key, kind, .. } in schema::keys() {
            let leaf = key.rsplit('.').next().unwrap_or(&key).to_string();
            let Some((value, shown)) = probe(kind) else {
                continue;
            };
            if matches!(key.as_str(), "scenario.baseline" | "scenario.status_quo")
                || key.starts_with("thresholds.")
                || key.starts_with("beijing.area_weight.")
                || key == "beijing.coercion_unit"
                || key == "design.ID.id"
                || key.starts_with("inject.")
            {
                continue; // checked below: they must name something that exists
            }
            let set = key.replace(schema::DESIGN_ID, "track-2");
            let sc = load(&[format!("{set}={value}")]);
            let debug = if key.starts_with("design.") {
                format!("{:?}", sc.designs[sc.design_index("track-2").unwrap_or(0)])
            } else {
                format!("{sc:?}")
            };
            let want = format!("{leaf}: {shown}");
            assert!(debug.contains(&want), "--set {set}={value}: no `{want}`");
            checked += 1;
        }
        assert!(checked > 90, "only {checked} keys checked");

        // Area weights land on their area.
        for (i, area) in Area::ALL.into_iter().enumerate() {
            let sc = load(&[format!("beijing.area_weight.{area}=7.25")]);
            assert_eq!(sc.world.beijing.area_weight[area], 7.25, "{area}");
            assert_eq!(
                sc.world
                    .beijing
                    .area_weight
                    .0
                    .iter()
                    .filter(|&&w| w == 7.25)
                    .count(),
                1,
                "{area} (index {i})"
            );
        }
        // The coercion unit names a rung; the ladder is read whole.
        let sc = load(&["beijing.coercion_unit=\"military-signalling\"".into()]);
        assert_eq!(sc.world.beijing.coercion_unit, 3);
        let sc = load(&[
            "beijing.rung=[{ name = \"only\", threshold = 2.5, severity = 4 }]".into(),
            "beijing.coercion_unit=\"only\"".into(),
        ]);
        let rungs = &sc.world.beijing.rungs;
        assert_eq!(rungs.len(), 1);
        assert_eq!(
            (
                rungs[0].name.as_str(),
                rungs[0].threshold,
                rungs[0].severity
            ),
            ("only", 2.5, 4.0)
        );
        // Thresholds, flags, choices, agendas and the status quo.
        let sc = load(&["thresholds.composite=-0.5".into()]);
        assert!(sc.thresholds.contains(&("composite".to_string(), -0.5)));
        let sc = load(&[
            "design.track-2.standing_liaison=true".into(),
            "design.track-2.exit_clause=true".into(),
            "design.track-2.pace=japan-led".into(),
            "design.track-2.issue_areas=[\"cyber\"]".into(),
            "programme.issue_areas=[\"maritime\", \"evacuation\"]".into(),
            "scenario.status_quo=\"track-1.5\"".into(),
        ]);
        let d = &sc.designs[1];
        assert!(d.form.standing_liaison && d.form.exit_clause);
        assert_eq!(d.form.pace, Pace::JapanLed);
        assert_eq!(d.programme.issue_areas, AreaSet::of(&[Area::Cyber]));
        assert!(d.own_programme && !sc.designs[0].own_programme);
        assert_eq!(
            sc.programme.issue_areas,
            AreaSet::of(&[Area::Evacuation, Area::Maritime])
        );
        assert_eq!(
            sc.designs[0].programme.issue_areas,
            sc.programme.issue_areas
        );
        assert_eq!(sc.status_quo, "track-1.5");
    }

    #[test]
    fn optional_keys_take_their_defaults() {
        let sc = load(&[]);
        assert_eq!(sc.status_quo, sc.baseline);
        assert!(sc.designs.iter().all(|d| !d.own_programme));
        assert!(sc.designs.iter().all(|d| d.programme == sc.programme));
    }
}
