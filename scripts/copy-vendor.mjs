// Copies the npm-installed front-end libraries into static/vendor (never committed).
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";

const files = [
  ["node_modules/htmx.org/dist/htmx.min.js", "static/vendor/htmx.min.js"],
  ["node_modules/@picocss/pico/css/pico.min.css", "static/vendor/pico.min.css"],
  ["node_modules/cally/dist/cally.js", "static/vendor/cally.js"],
  ["node_modules/swagger-ui-dist/swagger-ui-bundle.js", "static/vendor/swagger-ui-bundle.js"],
  ["node_modules/swagger-ui-dist/swagger-ui.css", "static/vendor/swagger-ui.css"],
];
mkdirSync("static/vendor", { recursive: true });
for (const [from, to] of files) copyFileSync(from, to);

// Sarabun, the typeface of the documents, in the weights static/app.css uses and the scripts the
// interface writes (Thai, basic Latin): one stylesheet of @font-face rules and their WOFF2 files.
const SARABUN = "node_modules/@fontsource/sarabun";
const WEIGHTS = [400, 600, 700];
const SUBSETS = ["thai", "latin"];
mkdirSync("static/vendor/sarabun", { recursive: true });
const faces = [];
for (const weight of WEIGHTS) {
  // ${weight}.css holds one commented @font-face per script, each with its unicode-range.
  const blocks = readFileSync(`${SARABUN}/${weight}.css`, "utf8").split("/* ").filter(Boolean);
  for (const subset of SUBSETS) {
    const font = `sarabun-${subset}-${weight}-normal`;
    const block = blocks.find((text) => text.startsWith(`${font} */`));
    if (!block) throw new Error(`@fontsource/sarabun has no ${font}`);
    copyFileSync(`${SARABUN}/files/${font}.woff2`, `static/vendor/sarabun/${font}.woff2`);
    // Modern browsers all read WOFF2: the WOFF fallback is left out, so only copied files are named.
    faces.push("/* " + block.replace(/src: [^;]*;/, `src: url(${font}.woff2) format('woff2');`));
  }
}
writeFileSync("static/vendor/sarabun/sarabun.css", faces.join("\n"));
console.log(`copied ${files.length} files and Sarabun (${WEIGHTS.length} weights) into static/vendor`);
