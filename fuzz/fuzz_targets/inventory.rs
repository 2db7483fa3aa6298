//! The inventory loader (YAML limits included) on any text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gpucharts_mon::fuzzing::inventory(data);
});
