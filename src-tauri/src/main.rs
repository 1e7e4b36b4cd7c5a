// No console window on Windows release builds; a no-op elsewhere.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// See [`ladderwise_app::allocator`].
#[global_allocator]
static ALLOCATOR: ladderwise_app::allocator::Allocator = ladderwise_app::allocator::Allocator;

fn main() {
    ladderwise_app::allocator::configure();
    ladderwise_desktop::run()
}
