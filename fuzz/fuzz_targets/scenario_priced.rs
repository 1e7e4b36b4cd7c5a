#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ladderwise_fuzz::scenario_priced(data));
