//! The exposition parser and linter on any bytes, in both formats: the whole
//! buffer, the streaming reader (fed in chunks whose sizes the input
//! chooses) and, in the classic format, the parse in parts must find
//! exactly the same, and none may panic.
#![no_main]

use gpucharts_mon::fuzzing::exposition_agrees;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    exposition_agrees(data);
});
