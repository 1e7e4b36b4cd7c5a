// The types of @tauri-apps/api's `core` module. ui/copy-static.mjs puts the package's own
// core.js beside the compiled scripts (the UI has no bundler), so the import below resolves
// to the real module at run time and to these types at compile time.
export * from "@tauri-apps/api/core";
