// Runs the site's JavaScript translator (site/translator/) in Node for tests/test_translator_js.py:
//   node tests/run_translator.mjs JOB.json RESULTS.json
// JOB holds translator.json's data as "spec", the exported models' paths as "models" (optional), and the
// texts of each task: "tokenize", "read", "greedy", "beam" (with "beam_size"). RESULTS holds one entry per
// text of each task (or {error: {name, message}}), and each translating task's milliseconds.
// "attention" greedy results keep their crossAttention; the others leave it out.
import { readFileSync, writeFileSync } from "node:fs";
import * as ort from "onnxruntime-web";
import { Tokenizer } from "../site/translator/tokenize.js";
import { Translator } from "../site/translator/translate.js";

ort.env.wasm.numThreads = 1; // as in the page

const [jobPath, resultsPath] = process.argv.slice(2);
const job = JSON.parse(readFileSync(jobPath, "utf8"));
const tokenizer = new Tokenizer(job.spec);

function attempt(work) {
  try {
    return work();
  } catch (error) {
    return { error: { name: error.name, message: error.message } };
  }
}

async function translateAll(translator, texts, beamSize, attention) {
  const start = performance.now();
  const results = [];
  for (const [i, text] of texts.entries()) {
    try {
      const { crossAttention, ...result } = await translator.translate(text, beamSize);
      results.push(i < attention ? { ...result, crossAttention } : result);
    } catch (error) {
      results.push({ error: { name: error.name, message: error.message } });
    }
  }
  return { results, milliseconds: performance.now() - start };
}

const results = {
  tokenize: (job.tokenize ?? []).map((text) => tokenizer.tokenize(text)),
  detokenize: (job.tokenize ?? []).map((text) => tokenizer.detokenize(tokenizer.tokenize(text))),
  read: (job.read ?? []).map((text) => attempt(() => tokenizer.read(text))),
};
if (job.models) {
  const models = { encoder: readFileSync(job.models.encoder), decoder: readFileSync(job.models.decoder) };
  const translator = await Translator.load(ort, models, job.spec);
  results.greedy = await translateAll(translator, job.greedy ?? [], 1, job.attention ?? 0);
  results.beam = await translateAll(translator, job.beam ?? [], job.beam_size ?? 4, 0);
}
writeFileSync(resultsPath, JSON.stringify(results));
