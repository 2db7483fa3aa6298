//! Prometheus API answers: envelopes, targets, runtimeinfo, query results,
//! build info, timestamps and the reload metrics fallback.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gpucharts_mon::fuzzing::api_answers(data);
});
