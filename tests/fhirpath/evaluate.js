// Evaluates FHIRPath expressions the way an SDC renderer does for calculatedExpression:
// reads {questionnaire, response, expressions: {name: expression}} as JSON on stdin and
// prints {name: result} as JSON, with %resource the response and %questionnaire the questionnaire.
const fhirpath = require("fhirpath");
const r4 = require("fhirpath/fhir-context/r4");

let input = "";
process.stdin.on("data", (chunk) => { input += chunk; });
process.stdin.on("end", () => {
  const { questionnaire, response, expressions } = JSON.parse(input);
  const results = {};
  for (const [name, expression] of Object.entries(expressions)) {
    results[name] = fhirpath.evaluate(response, expression, { resource: response, questionnaire }, r4, { async: false });
  }
  process.stdout.write(JSON.stringify(results));
});
