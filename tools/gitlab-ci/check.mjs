// Checks .gitlab-ci.yml files against GitLab's CI schema, as gitlab-ci-local
// does before it runs a pipeline: the schema GitLab's pipeline editor uses
// (app/assets/javascripts/editor/schema/ci.json, copied into gitlab-ci-local),
// ajv with gitlab-ci-local's options, js-yaml to read the file.
//
//   node check.mjs FILE...
//
// Prints each violation as "FILE: PATH: MESSAGE" and exits 1 when there is
// one, 2 when a file cannot be read.
import fs from "node:fs";
import Ajv from "ajv";
import yaml from "js-yaml";
import { schema } from "gitlab-ci-local/src/schema/schema.js";

const ajv = new Ajv({
  allErrors: true,
  allowUnionTypes: true,
  validateFormats: false,
  strictTypes: false,
  keywords: ["markdownDescription"],
});
const validate = ajv.compile(schema);

let bad = false;
for (const file of process.argv.slice(2)) {
  let data;
  try {
    data = yaml.load(fs.readFileSync(file, "utf8"));
  } catch (err) {
    console.error(`${file}: ${err.message}`);
    process.exit(2);
  }
  if (!validate(data)) {
    bad = true;
    for (const e of validate.errors) {
      console.log(`${file}: ${e.instancePath || "/"}: ${e.message}${e.params && e.params.additionalProperty ? ` (${e.params.additionalProperty})` : ""}`);
    }
  }
}
process.exit(bad ? 1 : 0);
