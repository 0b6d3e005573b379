//! Fuzz the scenario loader: any bytes, as a file and with an override, must load or be
//! rejected with diagnostics, never panic. A loaded scenario must also survive a replication.
#![no_main]

use dialogue_wargame::engine::Plan;
use dialogue_wargame::metric::N_METRICS;
use dialogue_wargame::scenario::{self, Override};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The text as a scenario file.
    if let Ok(loaded) = scenario::load_str("fuzz.toml", text, &[]) {
        let sc = &loaded.scenario;
        let plan = Plan::new(sc, (0..sc.designs.len()).collect(), 0, 1, vec![None; N_METRICS]);
        let mut out = vec![[0.0; N_METRICS]; sc.designs.len()];
        plan.replicate(0, &mut out);
    }
    // The first line as an override of the baseline.
    if let Some(line) = text.lines().next() {
        if let Ok(ov) = Override::parse(line) {
            let _ = scenario::load_str("baseline", scenario::BASELINE_TOML, &[ov]);
        }
    }
});
