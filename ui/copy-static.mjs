// Copies the UI's static files (HTML, CSS) beside the compiled scripts in ui/dist, the
// directory the desktop app embeds.
import { cpSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(join(here, "dist"), { recursive: true });
cpSync(join(here, "static"), join(here, "dist"), { recursive: true });
