#!/usr/bin/env python3
"""A plain-Python reference of the model's inner loop, for the speed ratio in docs/PERFORMANCE.md.

What a Python user would write from docs/MODEL.md: standard library only (no numpy), the
scenario read from scenarios/baseline.toml, and per replication one world draw (§1) then, for
every design, the build-up month by month (§2-§6: meetings, agreements, Beijing's acts, Tokyo's
suspensions, the status quo until the design's launch) and the crisis (§8: intelligence items,
evacuation, rear area) with the scores (§9). Random numbers come from Python's Mersenne Twister,
so the values differ from the Rust tool's ChaCha8 streams; the arithmetic and the number of
draws per design-replication are the same. It simulates each design on its own, as MODEL.md
describes it (the Rust engine shares the status quo's build-up between designs, a saving this
reference does not make: the ratio is per design-replication of the same results).

Usage: python3 benches/reference.py [REPLICATIONS] [SCENARIO.toml]
Prints the design-replications per second and microseconds per design-replication, and the
mean composite of each design (a sanity check against summary.csv: close, not equal).
"""

import math
import random
import sys
import time
import tomllib
from pathlib import Path

AREAS = ["intelligence", "evacuation", "cyber", "maritime", "rear-area"]


def dist(v):
    """A sampler for a scenario value: a number or a { dist = ... } table."""
    if not isinstance(v, dict):
        x = float(v)
        return lambda r: x
    kind = v["dist"]
    if kind == "triangular":
        lo, mode, hi = float(v["min"]), float(v["mode"]), float(v["max"])
        return lambda r: r.triangular(lo, hi, mode)
    if kind == "uniform":
        lo, hi = float(v["min"]), float(v["max"])
        return lambda r: lo + (hi - lo) * r.random()
    if kind == "beta":
        if "alpha" in v:
            a, b = float(v["alpha"]), float(v["beta"])
        else:
            m, s = float(v["mean"]), float(v["sd"])
            k = m * (1 - m) / (s * s) - 1
            a, b = m * k, (1 - m) * k
        return lambda r: r.betavariate(a, b)
    if kind == "normal":
        m, s = float(v["mean"]), float(v["sd"])
        return lambda r: r.gauss(m, s)
    if kind == "lognormal":
        m, s = float(v["mean"]), float(v["sd"])
        sig2 = math.log(1 + (s / m) ** 2)
        mu, sig = math.log(m) - sig2 / 2, math.sqrt(sig2)
        return lambda r: r.lognormvariate(mu, sig)
    raise ValueError(f"unknown dist {kind}")


def poisson(r, lam):
    # Knuth's method, in chunks so that exp(-lam) does not underflow.
    n, left = 0, lam
    while left > 0:
        step = min(left, 30.0)
        left -= step
        limit, p = math.exp(-step), r.random()
        while p > limit:
            n += 1
            p *= r.random()
    return n


class Scenario:
    def __init__(self, path):
        t = tomllib.loads(Path(path).read_text())
        self.t = t
        d = {}
        for sec in ["timeline", "trust", "tokyo", "us", "crisis", "beijing"]:
            for k, v in t[sec].items():
                if isinstance(v, (int, float)) or (isinstance(v, dict) and "dist" in v):
                    d[f"{sec}.{k}"] = v
        self.draw = {k: dist(v) for k, v in d.items()}
        self.v = {k: (float(v) if not isinstance(v, dict) else None) for k, v in d.items()}
        self.trust, self.agr, self.b = t["trust"], t["agreements"], t["beijing"]
        self.tokyo, self.taipei, self.us, self.c = t["tokyo"], t["taipei"], t["us"], t["crisis"]
        self.weights = t["weights"]
        self.rungs = self.b["rung"]
        unit = next((r["severity"] for r in self.rungs if r["name"] == self.b["coercion_unit"]), 1.0)
        self.severity = [r["severity"] / unit for r in self.rungs]
        prog = t["programme"]
        self.designs = []
        for x in t["design"]:
            x = dict(x)
            x.setdefault("cadence_per_year", prog["cadence_per_year"])
            x.setdefault("issue_areas", prog["issue_areas"])
            self.designs.append(x)
        sq = t["scenario"]["status_quo"]
        self.status_quo = next(x for x in self.designs if x["id"] == sq)


def draw_world(s, r):
    g, c = s.draw, s.c
    w = {}
    w["months"] = max(1, math.floor(g["timeline.buildup_months"](r) + 0.5))
    w["trust0"] = min(1.0, max(0.0, g["trust.initial"](r)))
    disposition = g["beijing.disposition"](r)
    tolerance = g["tokyo.tolerance"](r)
    w["pause"] = g["tokyo.pause_months"](r)
    transactional = r.random() < s.us["p_transactional"]
    warning = g["crisis.warning_days"](r)
    post = g["crisis.post_onset_days"](r)
    lam = c["intel_items_per_day"] * warning
    w["items"] = max(1, poisson(r, lam)) if lam > 0 else 1
    w["people"] = c["nationals"] + g["crisis.visitors"](r)
    w["decision"] = g["crisis.decision_delay_days"](r)
    w["adhoc_coord"] = g["crisis.adhoc_coordination_days"](r)
    w["agreed_coord"] = g["crisis.agreed_coordination_days"](r)
    available = 1.0 - g["crisis.competing_share"](r)
    seats = g["crisis.commercial_seats_per_day"](r)
    w["organised"] = g["crisis.organised_lift_per_day"](r) * available
    w["sdf"] = g["crisis.sdf_lift_per_day"](r) * available
    w["consent"] = r.random()
    u_intervene = r.random()
    w["lag"] = g["tokyo.launch_lag_months"](r)
    w["stay"] = g["crisis.stay_share"](r)
    share = g["crisis.japanese_seat_share"](r)
    departures = g["crisis.runway_departures_per_day"](r)
    us = s.us
    w["multiplier"] = s.b["sensitivity"] * 2.0 * disposition
    w["tolerance"] = tolerance * (s.tokyo["transactional_tolerance_factor"] if transactional else 1.0)
    w["transactional"] = transactional
    p_int = us["p_intervene_transactional"] if transactional else us["p_intervene_reliable"]
    w["intervenes"] = u_intervene < p_int
    w["relay"] = us["relay_share_transactional"] if transactional else us["relay_share_reliable"]
    w["warning"] = warning
    w["window"] = warning + post
    w["commercial"] = seats * share * available
    w["ceiling"] = departures * c["seats_per_departure"]
    return w


def form_constants(s, d, w):
    b, a = s.b, s.agr
    salience = (d["visibility"] + d["officialness"]) / 2
    p_notice = 1 - math.exp(-b["notice_intensity"] * salience)
    official = d["officialness"] ** b["officialness_exponent"] * (1 + b["mandate_weight"] * d["security_mandate"])
    tacit = 1 - b["tacit_discount"] * d["format_consistency"] * (1 - d["visibility"])
    terms = 1 - b["agreed_terms_discount"] if d["exit_clause"] else 1.0
    weight = w["multiplier"] * official * tacit * terms
    agenda = sum(b["area_weight"][x] for x in d["issue_areas"]) / a["focus_reference_areas"]
    n_areas = max(1, len(d["issue_areas"]))
    rate = (a["base_rate"] * d["authority"] * d["security_mandate"]
            * (1 - a["consistency_weight"] + a["consistency_weight"] * d["format_consistency"])
            * (a["focus_reference_areas"] / n_areas) ** a["focus_elasticity"])
    pace = 1.0 if d["pace"] == "joint" else s.taipei["japan_led_restraint"]
    return {
        "p_notice": p_notice, "weight": weight, "rate": rate,
        "meeting": b["provocation_per_meeting"] * agenda * weight,
        "agreement": {x: b["agreement_provocation"] * b["area_weight"][x] * weight for x in AREAS},
        "legitimacy": d["authority"] ** a["authority_exponent"],
        "pressure": s.trust["pressure_loss"] * s.taipei["pressure"] * pace,
        "suspend_at": w["tolerance"] * (s.tokyo["exit_clause_tolerance_factor"] if d["exit_clause"] else 1.0),
    }


def act_chance(s, irritation):
    if irritation <= 0 or not s.rungs:
        return 0.0
    return s.b["act_probability"] * (1 - math.exp(-irritation / s.rungs[0]["threshold"]))


def launch_month(s, d, w):
    """§5: Tokyo launches a design when its forecast coercion is within its tolerance."""
    if d is s.status_quo:
        return 0
    b, k = s.b, form_constants(s, d, w)
    mous = sum(k["rate"] * k["agreement"][x] for x in d["issue_areas"])
    per_meeting = k["p_notice"] * (k["meeting"] + mous)
    inflow = d["cadence_per_year"] / 12 * per_meeting
    expected = 0.0
    if inflow > 0:
        retained = (1 - b["irritation_decay"]) * (1 - b["act_probability"] * b["discharge"])
        average = inflow / (1 - retained)
        gap = max(1.0, 12 / d["cadence_per_year"])
        peak = per_meeting * max(1.0, d["cadence_per_year"] / 12) / (1 - retained ** gap)
        rung = max([i for i, r in enumerate(s.rungs) if peak >= r["threshold"]], default=0)
        expected = 12 * act_chance(s, average) * s.severity[rung]
    need = s.tokyo["transactional_need_factor"] if w["transactional"] else 1.0
    if expected <= s.tokyo["launch_share"] * need * w["tolerance"]:
        return max(0, math.floor(w["lag"] * d["officialness"] + 0.5))
    return None


def simulate(s, d, w, monthly, own, sq_rng, items):
    """One design in one world: the build-up (§2-§6) then the crisis (§8) and the scores."""
    t, tk, b, a = s.trust, s.tokyo, s.b, s.agr
    launch = launch_month(s, d, w)
    cur, k = s.status_quo, form_constants(s, s.status_quo, w)
    trust, irritation, recent, coercion, max_rung = w["trust0"], 0.0, 0.0, 0.0, 0
    mous = {x: 0 for x in AREAS}
    unready = {x: 1.0 for x in AREAS}
    status, until, agreed_pause = "active", 0.0, False
    active_months, owed, in_op = 0, False, False
    cad = cur["cadence_per_year"]
    clock = 1 - cad / 12 if cad > 0 else 0.0
    keep = 0.5 ** (1 / tk["memory_months"])
    rng = sq_rng
    for month in range(w["months"]):
        m = float(month)
        if launch == month:
            in_op, cur, rng = True, d, own
            k = form_constants(s, d, w)
            cad = d["cadence_per_year"]
            clock = 1 - cad / 12 if cad > 0 else 0.0
            owed, status = False, "active"
        u_shock, u_hit, u_act = monthly.random(), monthly.random(), monthly.random()
        if u_shock < tk["domestic_shock_rate"] / 12 and u_hit < cur["domestic_exposure"] and status == "active":
            status, until = "disrupted", m + tk["disruption_months"]
            trust = max(0.0, trust - t["disruption_loss"])
        if status == "suspended" and m >= until and recent < tk["resume_fraction"] * w["tolerance"] \
                and (not agreed_pause or irritation < s.rungs[0]["threshold"]):
            status = "active"
        elif status == "disrupted" and m >= until:
            status = "active"
        clock += cur["cadence_per_year"] / 12
        make_up = owed and status == "active" and clock < 1 - 1e-9
        while clock >= 1 - 1e-9 or make_up:
            if make_up:
                make_up = False
            else:
                clock -= 1
            u_postpone, u_notice = rng.random(), rng.random()
            u_areas = [rng.random() for _ in AREAS]
            if status != "active":
                owed = True
            elif u_postpone < tk["postpone_sensitivity"] * min(1.0, recent / w["tolerance"]):
                owed = True
            else:
                owed = False
                noticed = u_notice < k["p_notice"]
                trust += t["gain_per_meeting"] * (1 - trust)
                if noticed:
                    irritation += k["meeting"]
                for x, u in zip(AREAS, u_areas):
                    if x in cur["issue_areas"] and u < min(1.0, k["rate"] * 2 * trust):
                        mous[x] += 1
                        unready[x] *= 1 - a["depth_per_agreement"] * k["legitimacy"]
                        trust += t["gain_per_agreement"] * (1 - trust)
                        if noticed:
                            irritation += k["agreement"][x]
        agreed = cur["exit_clause"] and status != "disrupted"
        if (owed or status != "active") and not agreed:
            trust = max(0.0, trust - k["pressure"])
        if u_act < act_chance(s, irritation):
            reached = max([i for i, r in enumerate(s.rungs) if irritation >= r["threshold"]], default=0)
            rung = min(reached, max_rung)
            coercion += s.severity[rung]
            recent += s.severity[rung]
            max_rung = max(max_rung, rung + 1)
            irritation *= 1 - b["discharge"]
        irritation *= 1 - b["irritation_decay"]
        if status == "active" and recent > k["suspend_at"]:
            if cur["exit_clause"]:
                status, until, agreed_pause = "suspended", m + w["pause"], True
            else:
                trust *= 1 - t["collapse_loss"]
                status, until, agreed_pause = "suspended", m + w["pause"] * tk["collapse_resume_factor"], False
        recent *= keep
        if status == "active":
            active_months += 1

    # §8 The crisis.
    c = s.c
    active = status == "active"
    usable = 1.0 if active else c["suspended_agreement_value"]
    r = {x: (1 - unready[x]) * usable for x in AREAS}
    spill = lambda base, wt, o: 1 - (1 - base) * (1 - wt * o)
    r_intel = spill(r["intelligence"], a["cyber_to_intelligence"], r["cyber"])
    r_evac = spill(r["evacuation"], a["maritime_to_evacuation"], r["maritime"])
    r_rear = spill(r["rear-area"], a["maritime_to_rear_area"], r["maritime"])
    legitimacy = cur["authority"] ** a["authority_exponent"]
    trust_factor = trust ** c["trust_exponent"]
    mandate = cur["security_mandate"]
    rng = own if in_op else sq_rng
    p_share = mandate * legitimacy * (c["share_floor"] + (1 - c["share_floor"]) * r_intel) * trust_factor if active else 0.0
    p_liaison = 1.0 if cur["standing_liaison"] else r_intel
    total = delivered = via = 0.0
    for value, v_relay in items:
        shared = rng.random() < p_share
        liaison = rng.random() < p_liaison
        lat = s.draw["crisis.liaison_latency_hours"](rng) if liaison else s.draw["crisis.adhoc_latency_hours"](rng)
        v_channel = value * 0.5 ** (lat / c["intel_half_life_hours"]) if shared else 0.0
        total += value
        via += v_channel
        delivered += max(v_channel, v_relay)
    info = delivered / total if total > 0 else 0.0
    wishing = w["people"] * (1 - w["stay"])
    decide = min(w["decision"] * (1 - c["warning_speedup"] * info), w["window"])
    rate, seats, remaining = c["early_departure_per_day"], w["commercial"], wishing
    if rate > 0 and seats > 0 and decide > 0:
        sat = seats / rate
        if remaining > sat:
            t1 = (remaining - sat) / seats
            remaining = remaining - seats * decide if decide <= t1 else sat * math.exp(-rate * (decide - t1))
        else:
            remaining *= math.exp(-rate * decide)
    coordinate = w["adhoc_coord"] * (1 - r_evac) + w["agreed_coord"] * r_evac
    consent = w["consent"] < c["consent_base"] + (1 - c["consent_base"]) * r_evac
    charter = c["adhoc_lift_share"] + (1 - c["adhoc_lift_share"]) * r_evac
    organised = min(w["organised"] * charter + (w["sdf"] if consent else 0.0), w["ceiling"])
    after = w["window"] - decide
    capacity = w["commercial"] * max(0.0, after) + organised * max(0.0, after - coordinate)
    evac = min(1.0, max(0.0, 1 - max(0.0, remaining - capacity) / wishing)) if wishing > 0 else 1.0
    floor = c["rear_area_floor"] * legitimacy if active else 0.0
    rear = mandate * trust_factor * max(floor, r_rear) * (1.0 if w["intervenes"] else c["rear_area_value_without_us"])
    used = b["crisis_provocation"] * k["weight"] if active else 0.0
    x = max(0.0, irritation + used)
    escalation = 0.0 if x == 0 else 1 / (1 + (b["crisis_half_irritation"] / x) ** b["crisis_escalation_steepness"])
    wt = s.weights
    coercion_rate = coercion / (w["months"] / 12)
    return (wt["info_exchange"] * info + wt["evacuation"] * evac + wt["rear_area"] * rear
            - wt["coercion"] * coercion_rate - wt["escalation"] * escalation)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    path = sys.argv[2] if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "scenarios/baseline.toml"
    s = Scenario(path)
    sums = [0.0] * len(s.designs)
    start = time.process_time()
    for rep in range(n):
        world_rng = random.Random(rep * 4 + 0)
        w = draw_world(s, world_rng)
        intel = random.Random(rep * 4 + 1)
        items = []
        for _ in range(w["items"]):
            value = -math.log(1 - intel.random())
            relayed = intel.random() < w["relay"]
            lat = s.draw["us.relay_latency_hours"](intel)
            items.append((value, value * 0.5 ** (lat / s.c["intel_half_life_hours"]) if relayed else 0.0))
        for i, d in enumerate(s.designs):
            # Common random numbers: every design reads the same monthly and status-quo streams.
            monthly = random.Random(rep * 4 + 2)
            sq_rng = random.Random((rep * 4 + 3) * 1000)
            own = random.Random((rep * 4 + 3) * 1000 + 1 + i)
            sums[i] += simulate(s, d, w, monthly, own, sq_rng, items)
    cpu = time.process_time() - start
    dr = n * len(s.designs)
    print(f"replications: {n}")
    print(f"designs: {len(s.designs)}")
    print(f"cpu_seconds: {cpu:.3f}")
    print(f"design_replications_per_second: {dr / cpu:.0f}")
    print(f"us_per_design_replication: {cpu / dr * 1e6:.2f}")
    for d, v in zip(s.designs, sums):
        print(f"mean_composite {d['id']}: {v / n:.4f}")


if __name__ == "__main__":
    main()
