//! The exposition parser and linter on any bytes, in both formats: the whole
//! buffer and the streaming reader (fed in chunks whose sizes the input
//! chooses) must agree, and neither may panic.
#![no_main]

use gpucharts_mon::fuzzing::exposition_agrees;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exposition_agrees(data);
});
