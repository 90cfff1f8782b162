// Typesets TeX with KaTeX for book/_ext/course_perf.py, at build time.
// One request per line on stdin: {"tex": "...", "display": true|false}; one answer per line on
// stdout: {"html": "..."} or {"error": "..."}. KaTeX's folder is the first argument.
"use strict";
const katex = require(process.argv[2]);
const readline = require("readline");

const lines = readline.createInterface({ input: process.stdin, terminal: false });
lines.on("line", (line) => {
  const { tex, display } = JSON.parse(line);
  let answer;
  try {
    answer = {
      html: katex.renderToString(tex, {
        displayMode: display,
        throwOnError: true,   // a TeX error fails the build instead of showing red source
        strict: "error",      // so does TeX that KaTeX would accept only with a warning
        output: "htmlAndMathml",  // the HTML is drawn; the MathML is what screen readers read
        trust: false,
      }),
    };
  } catch (error) {
    answer = { error: String(error && error.message ? error.message : error) };
  }
  process.stdout.write(JSON.stringify(answer) + "\n");
});
