// Copies the UI's static files (HTML, CSS) beside the compiled scripts in ui/dist, the
// directory the desktop app embeds, and the modules of @tauri-apps/api the UI imports
// (ui/src/vendor/tauri-api/ holds their types): the UI is plain ES modules, no bundler.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(join(here, "dist"), { recursive: true });
cpSync(join(here, "static"), join(here, "dist"), { recursive: true });

const api = join(here, "..", "node_modules", "@tauri-apps", "api");
const vendor = join(here, "dist", "vendor", "tauri-api");
for (const file of ["core.js", "event.js", "external/tslib/tslib.es6.js", "LICENSE-MIT", "LICENSE-APACHE-2.0"]) {
  mkdirSync(dirname(join(vendor, file)), { recursive: true });
  cpSync(join(api, file), join(vendor, file));
}
