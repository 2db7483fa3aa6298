//! Template value escaping: any string must come back out of the YAML equal,
//! and terminal/XML escaping must leave no control character.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    gpucharts_mon::fuzzing::template_escaping(data);
});
