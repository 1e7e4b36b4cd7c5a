#![no_main]

// The readers that need polars (`--features frames`); the replay test includes the same file.
#[path = "../src/frames.rs"]
mod frames;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    frames::actuals_csv_file(&frames::scratch("export.csv", data))
});
