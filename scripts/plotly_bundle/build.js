// Builds assets/plotly-gridmap.min.js from entry.js with plotly.js's own esbuild settings
// (its esbuild-config.js: an IIFE named Plotly, CSS inlined, ES2016), minified.
const fs = require("fs");
const path = require("path");
const esbuild = require("esbuild");
const { version } = require("plotly.js/package.json");

// A stylesheet required by the code (MapLibre's) becomes a script adding it to the page once,
// as plotly.js's own build does; its element id is the file's path below node_modules, so the
// same sources give the same bytes on every machine.
const inlineCSS = {
  name: "inline-css",
  setup(build) {
    build.onLoad({ filter: /\.css$/ }, (args) => {
      const css = fs.readFileSync(args.path, "utf8");
      const id = "plotly-css-" + path.relative(__dirname, args.path).replace(/[^A-Za-z0-9]+/g, "-");
      const js =
        "if(!document.getElementById(" + JSON.stringify(id) + ")){" +
        "var e=document.createElement('style');e.id=" + JSON.stringify(id) + ";" +
        "e.textContent=" + JSON.stringify(css) + ";document.head.appendChild(e);}";
      return { contents: js, loader: "js" };
    });
  },
};

// The traces entry.js registers, named in the bundle's first line (tests/test_plotly_bundle.py
// reads it): scatter is in the core.
const entry = path.join(__dirname, "entry.js");
const traces = ["scatter"].concat(
  Array.from(fs.readFileSync(entry, "utf8").matchAll(/plotly\.js\/lib\/(\w+)/g), (m) => m[1])
    .filter((name) => name !== "core")
);

const out = path.resolve(__dirname, "..", "..", "assets", "plotly-gridmap.min.js");

esbuild
  .build({
    entryPoints: [entry],
    outfile: out,
    format: "iife",
    globalName: "Plotly",
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: "eof",
    plugins: [inlineCSS],
    alias: { stream: "stream-browserify" },
    define: {
      global: "window",
      "define.amd": "false",
      "process.env.NODE_DEBUG": "false",
    },
    target: "es2016",
    banner: {
      js:
        "/* plotly.js " + version + " traces " + traces.join(",") + "; " +
        "built by scripts/plotly_bundle/build.js. plotly.js: MIT License, Copyright (c) " +
        "Plotly Technologies Inc.; maplibre-gl: BSD-3-Clause; see scripts/plotly_bundle/README.md */",
    },
    logLevel: "info",
  })
  .catch(() => process.exit(1));
