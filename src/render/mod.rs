//! Output formats the CLI prints itself; JSON and CSV come from `ladderwise_app::export`.

pub mod forecast;
pub mod table;
pub mod whatif;
