//! Output formats the CLI prints itself; JSON and CSV come from `ladderwise_app::export`.

pub mod table;
pub mod whatif;
