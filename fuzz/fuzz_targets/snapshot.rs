#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ladderwise_fuzz::snapshot(data));
