// The types of @tauri-apps/api's `event` module; see core.d.ts.
export * from "@tauri-apps/api/event";
