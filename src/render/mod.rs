//! Output formats the CLI prints itself; JSON and CSV come from `ladderwise_app::export`.

pub mod forecast;
pub mod table;
pub mod whatif;

/// A spinner on stderr with the time elapsed and `message`, for work that can take a
/// while; indicatif draws nothing when stderr is not a terminal.
pub fn spinner(message: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new_spinner();
    bar.set_style(
        indicatif::ProgressStyle::with_template("{spinner} {elapsed} {msg}")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
    );
    bar.set_message(message.to_string());
    bar.enable_steady_tick(std::time::Duration::from_millis(120));
    bar
}
