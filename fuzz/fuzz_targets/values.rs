//! host:port, Prometheus durations, label names, firewall sources.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gpucharts_mon::fuzzing::values(data);
});
