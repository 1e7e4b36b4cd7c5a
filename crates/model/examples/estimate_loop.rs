//! One estimate of a shipped scenario, `N` times over, for counting what it costs where a
//! timer cannot: the allocations of one estimate (printed), and its instructions under
//! `valgrind --tool=callgrind` (`bench/estimate_instructions.py` runs it with 0 and with `N`
//! estimates and prints the difference over `N`). Usage: `estimate_loop SCENARIO N`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

#[path = "../tests/support/mod.rs"]
mod support;

/// The system allocator, counting every allocation and reallocation.
struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's contract for `alloc` is passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as for `alloc`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as for `alloc`.
        unsafe { System.realloc(ptr, layout, size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "ugc-short-form".to_string());
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let book = support::shipped_book();
    let scenario = support::shipped_scenario(&name);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let lines = ladderwise_model::estimate(&scenario, &book).lines.len();
    let allocations = ALLOCATIONS.load(Ordering::Relaxed) - before;
    for _ in 0..n {
        black_box(ladderwise_model::estimate(
            black_box(&scenario),
            black_box(&book),
        ));
    }
    println!("{name}: {lines} lines, {allocations} allocations per estimate");
}
