//! Ladderwise's desktop app: a Tauri 2 shell around the same use cases as the CLI
//! (`ladderwise_app`). The web UI in `ui/` edits a scenario's text through [`commands`] and
//! shows what the engine says about it; nothing here prices anything itself.

#[cfg(test)]
mod bindings;
pub mod commands;
pub mod forecast;
pub mod ipc;
pub mod pulls;
pub mod usage;
pub mod whatif;

use tauri::{Builder, Emitter as _, Manager as _, Runtime, WindowEvent};

/// The app's commands and state on any Tauri runtime: the real one in [`run`], the mock one
/// in the tests.
pub fn builder<R: Runtime>(builder: Builder<R>) -> Builder<R> {
    builder
        .manage(commands::Prices::load())
        .manage(pulls::Pulls::default())
        .manage(commands::Chosen::default())
        .manage(commands::CloseGuard::default())
        // Closing the window never loses edits: the page is asked first (see
        // `commands::CLOSE_REQUESTED`) and closes the window itself once settled; a page
        // that cannot answer does not keep the window open (`commands::CloseGuard`).
        .on_window_event(|window, event| {
            if let WindowEvent::CloseRequested { api, .. } = event
                && window
                    .state::<commands::CloseGuard>()
                    .ask(std::time::Instant::now())
            {
                api.prevent_close();
                let _ = window.emit(commands::CLOSE_REQUESTED, ());
            }
        })
        .invoke_handler(tauri::generate_handler![
            commands::startup,
            commands::evaluate,
            commands::change,
            commands::open_file,
            commands::save_file,
            commands::pick_ladder_import,
            commands::keep_draft,
            commands::drop_draft,
            commands::compare,
            commands::pick_open,
            commands::pick_save,
            commands::set_title,
            commands::close_window,
            commands::close_heard,
            forecast::forecast,
            whatif::compare_waterfall,
            whatif::tornado,
            whatif::solve,
            usage::usage_overview,
            usage::variance,
            usage::calibrate,
            usage::pick_import,
            pulls::usage_pull,
            pulls::refresh_prices,
            pulls::cancel_pull,
        ])
}

pub fn run() {
    builder(Builder::default())
        .plugin(tauri_plugin_dialog::init())
        .run(tauri::generate_context!())
        .expect("the desktop app could not start (is a display available?)");
}
