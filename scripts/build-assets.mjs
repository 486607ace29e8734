// Builds Casefile's committed front-end files from the pinned npm packages: `npm run build`.
//
//   casefile/static/src/casefile.scss  -> casefile/static/dist/casefile.css
//   GOV.UK Frontend + MoJ Frontend ESM -> casefile/static/dist/{govuk-frontend,moj-frontend}.mjs
//   casefile/static/src/casefile.js    -> casefile/static/dist/casefile.js (imports and starts both)
//   images and manifest (not fonts)    -> casefile/static/govuk/assets/
//
// The outputs are committed, so running and testing Casefile never needs node.
// The build checks its own output: no GDS Transport font, and every url() in the CSS resolves.

import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import * as sass from "sass";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const modules = join(root, "node_modules");
const govuk = join(modules, "govuk-frontend", "dist", "govuk");
const moj = join(modules, "@ministryofjustice", "frontend", "moj");
const src = join(root, "casefile", "static", "src");
const dist = join(root, "casefile", "static", "dist");
const assets = join(root, "casefile", "static", "govuk", "assets");
const ASSETS_URL = "/static/govuk/assets/";

function buildCss() {
  const dependencyWarnings = [];
  const result = sass.compile(join(src, "casefile.scss"), {
    loadPaths: [root],
    style: "compressed",
    quietDeps: true,
    logger: {
      // GOV.UK Frontend's deprecation notices about MoJ Frontend's own code are not ours to fix.
      warn(message, { span, stack }) {
        const where = `${span?.url?.pathname ?? ""}\n${stack ?? ""}`;
        if (where.includes("node_modules/@ministryofjustice/")) dependencyWarnings.push(message);
        else console.warn(`Warning: ${message}\n${where}`);
      },
    },
  });
  if (dependencyWarnings.length) {
    console.log(`(${dependencyWarnings.length} deprecation warnings from the npm packages' own Sass not shown)`);
  }
  const css = result.css.replace(/\/\*# sourceMappingURL=.*?\*\//g, "");
  if (css.includes("GDS Transport")) throw new Error("casefile.css refers to the GDS Transport font: use Arial only");
  writeFileSync(join(dist, "casefile.css"), `${css}\n`);
  return css;
}

function copyDirectory(from, to, keep = () => true) {
  mkdirSync(to, { recursive: true });
  for (const name of readdirSync(from)) {
    if (keep(name)) copyFileSync(join(from, name), join(to, name));
  }
}

function copyImagesAndManifest() {
  rmSync(assets, { recursive: true, force: true });
  copyDirectory(join(govuk, "assets", "images"), join(assets, "images"));
  // MoJ Frontend's component icons only: its logos and touch icons are the Ministry's brand, not ours.
  copyDirectory(join(moj, "assets", "images"), join(assets, "images"), (name) => name.startsWith("icon-"));
  copyFileSync(join(govuk, "assets", "manifest.json"), join(assets, "manifest.json"));
}

function checkCssUrlsResolve(css) {
  const urls = [...css.matchAll(/url\(\s*["']?([^"')]+)["']?\s*\)/g)].map((match) => match[1]);
  const missing = urls.filter((url) => url.startsWith(ASSETS_URL) && !existsSync(join(assets, url.slice(ASSETS_URL.length))));
  const foreign = urls.filter((url) => !url.startsWith(ASSETS_URL) && !url.startsWith("data:"));
  if (missing.length || foreign.length) {
    throw new Error(`casefile.css refers to files that are not built: ${[...missing, ...foreign].join(", ")}`);
  }
}

function copyModule(from, name) {
  // Source maps are not shipped, so their comments would only cause 404s.
  const code = readFileSync(from, "utf8").replace(/\/\/# sourceMappingURL=.*$/gm, "");
  writeFileSync(join(dist, name), code);
}

function buildJs() {
  copyModule(join(govuk, "all.bundle.mjs"), "govuk-frontend.mjs");
  copyModule(join(moj, "all.bundle.mjs"), "moj-frontend.mjs");
  copyFileSync(join(src, "casefile.js"), join(dist, "casefile.js"));
}

mkdirSync(dist, { recursive: true });
copyImagesAndManifest();
const css = buildCss();
checkCssUrlsResolve(css);
buildJs();
console.log(`Built ${dist} (casefile.css ${Math.round(css.length / 1024)} kB, casefile.js) and ${assets}`);
