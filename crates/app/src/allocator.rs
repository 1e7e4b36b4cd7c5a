//! The memory allocator of both binaries, the command line and the desktop app, which each
//! declare `#[global_allocator] static ALLOCATOR: Allocator = Allocator;` and call
//! [`configure`] first thing in `main`.
//!
//! polars' frames are many large, short-lived buffers. glibc's allocator returns each to the
//! system when it is freed and faults the next one in again page by page: a third of
//! `usage show`'s time went to page faults. mimalloc keeps freed memory for reuse, and with
//! large pages allowed it asks the kernel for transparent huge pages, 2 MiB a fault instead
//! of 4 KiB: `usage import` of a year of 1-minute datapoints spent 0.7 to 1.5 s in the
//! kernel without them and 0.15 to 0.3 s with them (see the README's performance figures).

pub use mimalloc::MiMalloc as Allocator;

/// Lets the allocator use large (transparent huge) pages for the memory it takes from the
/// kernel from now on. `MIMALLOC_ALLOW_LARGE_OS_PAGES=0` in the environment still turns them
/// off.
pub fn configure() {
    if std::env::var_os("MIMALLOC_ALLOW_LARGE_OS_PAGES").is_some() {
        return;
    }
    // SAFETY: `mi_option_set` only stores an option value; mimalloc reads it when it next
    // maps memory from the kernel, and any value is valid for this option.
    unsafe {
        libmimalloc_sys::mi_option_set(libmimalloc_sys::mi_option_large_os_pages, 1);
    }
}
