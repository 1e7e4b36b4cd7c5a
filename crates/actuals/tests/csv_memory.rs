//! A CSV export is read in memory that does not grow with its lines: the heap a read takes
//! at its peak, counted by this test binary's own allocator, is the same for a file six
//! times longer, plain or gzipped, and a small part of either file. Counted bytes, not
//! the process's resident memory or time: the same inputs allocate the same, so the test
//! cannot be flaky. One test in this binary, so nothing else allocates while it counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use ladderwise_actuals::Aggregate;
use ladderwise_actuals::read::read_file;

/// The system allocator, counting the bytes held now and at most since the last reset.
struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is passed to the system allocator as it came; the counts are only
// counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's layout, as `GlobalAlloc::alloc` requires.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            held(layout.size() as isize);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `System` with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        held(-(layout.size() as isize));
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`.
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            held(layout.size() as isize);
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` was allocated by `System` with `layout`, as the caller promises.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            held(new_size as isize - layout.size() as isize);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn held(change: isize) {
    let now = if change >= 0 {
        NOW.fetch_add(change as usize, Ordering::SeqCst) + change as usize
    } else {
        NOW.fetch_sub(change.unsigned_abs(), Ordering::SeqCst) - change.unsigned_abs()
    };
    PEAK.fetch_max(now, Ordering::SeqCst);
}

/// The most heap `f` holds at once beyond what was held before it ran.
fn peak_of(f: impl FnOnce()) -> usize {
    let before = NOW.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    f();
    PEAK.load(Ordering::SeqCst) - before
}

const HEADER: &str = "BilledCost,BillingAccountId,BillingCurrency,BillingPeriodStart,ChargeCategory,ChargeClass,ChargeDescription,ChargePeriodStart,EffectiveCost,ListCost,PricingQuantity,PricingUnit,RegionId,ServiceName,SubAccountId,x_ServiceCode,x_UsageType,Tags\n";

/// A FOCUS 1.2 export of `lines` lines: every group (4 services, one not modelled; 5
/// accounts; 2 months) is met in the first 40 lines, so a longer file only adds to sums.
fn write_export(path: &Path, lines: usize) {
    let services = [
        ("AmazonCloudFront", "US-DataTransfer-Out-Bytes", "GB"),
        ("AmazonS3", "TimedStorage-ByteHrs", "GB-Mo"),
        (
            "AWSElementalMediaConvert",
            "IAD-B-AVC-HD-S-30-NTM",
            "minutes",
        ),
        ("AmazonEC2", "BoxUsage:m7g.large", "Hrs"),
    ];
    let mut text = String::from(HEADER);
    for i in 0..lines {
        let (service, usage_type, unit) = services[i % 4];
        let month = 9 + (i / 4) % 2;
        let cost = format!("{}.{:06}", i % 7, (i * 7919) % 1_000_000);
        text += &format!(
            "{cost},000123456789,USD,2026-{month:02}-01T00:00:00Z,Usage,,\"a line, described\",2026-{month:02}-{:02}T00:00:00Z,{cost},{cost},{}.5,{unit},us-east-1,{service},{},{service},{usage_type},\"{{\"\"team\"\":\"\"video\"\"}}\"\n",
            1 + i % 28,
            i % 100,
            100000000000u64 + (i / 8 % 5) as u64,
        );
    }
    let bytes = if path.to_string_lossy().ends_with(".gz") {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(text.as_bytes()).unwrap();
        gz.finish().unwrap()
    } else {
        text.into_bytes()
    };
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn reading_a_csv_export_holds_as_much_for_six_times_the_lines() {
    let dir = std::env::temp_dir().join(format!("ladderwise-csv-memory-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (short, long) = (10_000, 60_000);
    for name in ["focus.csv", "focus.csv.gz"] {
        let path = |lines: usize| -> PathBuf { dir.join(format!("{lines}-{name}")) };
        write_export(&path(short), short);
        write_export(&path(long), long);
        let read = |lines: usize| {
            let mut rows = 0;
            let peak = peak_of(|| {
                let mut agg = Aggregate::default();
                let summary = read_file(&path(lines), &mut agg).unwrap();
                assert_eq!(summary.lines as usize, lines / 4 * 3);
                rows = agg.rows().len();
            });
            (peak, rows)
        };
        let (short_peak, short_rows) = read(short);
        let (long_peak, long_rows) = read(long);
        // 3 modelled services × 5 accounts × 2 months.
        assert_eq!((short_rows, long_rows), (30, 30));
        let text_bytes = std::fs::metadata(path(long)).unwrap().len() as usize;
        eprintln!(
            "{name}: peak heap {short_peak} bytes reading {short} lines, {long_peak} reading {long} ({text_bytes} bytes of file)"
        );
        // The same to a few kilobytes (the reader's buffers, the groups and their sums are
        // the same; only a number's digits differ), and far less than the file.
        assert!(
            long_peak <= short_peak + (16 << 10),
            "{name}: {short_peak} bytes for {short} lines, {long_peak} for {long}"
        );
        assert!(
            long_peak < 2 << 20,
            "{name}: {long_peak} bytes held reading {text_bytes} bytes"
        );
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
