// The translator page's widget: the book's shipped translator running in the reader's browser.
//
// Every <div class="attention-built-translator"></div> of the page becomes a form (an English sentence,
// greedy or beam search), the French translation, the words the model does not know, and the
// cross-attention of the translation as a table heat map with a layer and a head select. An optional
// data-sentence="..." attribute fills the input; what the div holds is replaced (translator.md puts there
// the message for a browser that cannot run this module, such as one reading the page as a file).
// tools/sphinx_translator.py adds this module and widget.css to the pages that hold the widget and copies
// the files it loads next to it. They load when the reader first uses the widget (focus or submit):
// onnxruntime-web's WebAssembly build, the two ONNX models and translator.json.
//
// window.attentionBuilt, for readers and tests:
//   await attentionBuilt.translate("the red car is here", {beam: 4})
//     -> {text, tokens: {source, target}, unknown, crossAttention[layer][head][target][source]}
//     (beam 1, the default, is greedy search); rejects with an InputError for text it cannot translate.
//   attentionBuilt.timings: one entry per translation shown, {text, beam, milliseconds, loading}: the
//     time from the submit to the translation painted, by the page's clock (performance.now), and
//     whether it included loading the translator.

const SERVE = "python3 -m http.server -d _build/html";
const FILES = new URL(".", import.meta.url); // the folder of this module and of everything it loads

/** A problem that stops the translator from loading here, with the message to show as is. */
class LoadError extends Error {
  name = "LoadError";
}

/** Why this page cannot run the translator, or null. */
function cannotRun() {
  if (location.protocol === "file:") {
    return (
      "This page was opened as a file, and a browser does not let a file load the translator. " +
      `Serve the site instead: run ${SERVE} in the book's folder, then open ` +
      "http://localhost:8000/translator.html."
    );
  }
  if (typeof WebAssembly !== "object") {
    return (
      "This browser cannot run WebAssembly, which the translator needs. " +
      "A recent Firefox, Chrome, Edge or Safari can."
    );
  }
  return null;
}

/** The bytes at `name` (next to this module), calling `progress(bytes)` as they arrive. */
async function fetchBytes(name, progress) {
  const response = await fetch(new URL(name, FILES));
  if (!response.ok) throw new LoadError(`Could not load the translator: ${name} (HTTP ${response.status}).`);
  const chunks = [];
  for (const reader = response.body.getReader(); ; ) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    progress(value.length);
  }
  return new Uint8Array(await new Blob(chunks).arrayBuffer());
}

let loading = null; // the promise of the Translator, from the first use on
let ready = false; // whether it has loaded
const listeners = new Set(); // functions told how many bytes have arrived while it loads

/** The translator, loaded on the first call; `onProgress(bytes)` hears how much has arrived. */
function loadTranslator(onProgress) {
  listeners.add(onProgress);
  loading ??= (async () => {
    const problem = cannotRun();
    if (problem) throw new LoadError(problem);
    let received = 0;
    const progress = (bytes) => listeners.forEach((listener) => listener((received += bytes)));
    const [ort, { Translator }, spec, wasm, encoder, decoder] = await Promise.all([
      import(new URL("ort.wasm.bundle.min.mjs", FILES).href),
      import("./translate.js"),
      fetchBytes("translator.json", progress).then((bytes) => JSON.parse(new TextDecoder().decode(bytes))),
      fetchBytes("ort-wasm-simd-threaded.wasm", progress),
      fetchBytes("encoder.onnx", progress),
      fetchBytes("decoder.onnx", progress),
    ]);
    ort.env.wasm.numThreads = 1; // threads need a cross-origin isolated page
    ort.env.wasm.wasmBinary = wasm;
    return Translator.load(ort, { encoder, decoder }, spec);
  })();
  loading.then(
    () => (ready = true),
    () => (loading = null), // a failed load is tried again on the next use
  );
  loading.finally(() => listeners.clear()).catch(() => {}); // the callers hear of a failure
  return loading;
}

/** An element: `tag` with `attributes` and `children` (strings become text, never HTML). */
function element(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A control with its visible label, kept together on one line. */
function labelled(text, control) {
  return element("span", { class: "abt-pair" }, element("label", { for: control.id }, text), control);
}

/** The mean over heads of one layer's maps: heads (head, target, source) -> (target, source). */
function meanOfHeads(heads) {
  const mean = (t, s) => heads.reduce((sum, head) => sum + head[t][s], 0) / heads.length;
  return heads[0].map((row, t) => row.map((_, s) => mean(t, s)));
}

/** The message to show for a failed translation. */
function messageFor(error) {
  if (error.name === "LoadError") return error.message;
  if (error.name === "InputError") {
    const known = error.message.startsWith("no word of")
      ? " It knows the words of the book's generated corpus: sentences about people, animals and things."
      : "";
    return `Cannot translate this: ${error.message}.${known}`;
  }
  return `Something went wrong: ${error.message}. Try again, or reload the page.`;
}

let widgets = 0; // numbers the widgets' element ids

/** One widget, drawn into `root` (a div.attention-built-translator). */
class TranslatorWidget {
  constructor(root) {
    const id = `attention-built-translator-${widgets++}`;
    this.input = element("input", {
      id: `${id}-text`,
      type: "text",
      autocomplete: "off",
      spellcheck: "false",
      placeholder: "the red car is here",
    });
    this.input.value = root.dataset.sentence ?? "";
    this.beam = element(
      "select",
      { id: `${id}-beam` },
      element("option", { value: "1" }, "greedy"),
      element("option", { value: "4" }, "beam search, 4 beams"),
    );
    this.button = element("button", { type: "submit" }, "Translate");
    this.form = element(
      "form",
      { class: "abt-form" },
      element("label", { for: this.input.id }, "English sentence"),
      element("div", { class: "abt-row" }, this.input, this.button),
      element("div", { class: "abt-row" }, labelled("Search", this.beam)),
    );
    this.status = element("p", { class: "abt-status", role: "status", "aria-live": "polite" });
    this.french = element("output", { class: "abt-french", lang: "fr", for: this.input.id });
    this.unknown = element("p", { class: "abt-unknown" });
    this.unfinished = element("p", { class: "abt-unfinished" });
    this.layer = element("select", { id: `${id}-layer` });
    this.head = element("select", { id: `${id}-head` });
    this.caption = element("p", { class: "abt-caption", id: `${id}-caption` });
    this.table = element("table", { class: "abt-heatmap", "aria-labelledby": this.caption.id });
    const name = element("span", { class: "abt-name" }, "French ");
    this.result = element(
      "div",
      { class: "abt-result", hidden: "" },
      element("p", { class: "abt-translation" }, name, this.french),
      this.unknown,
      this.unfinished,
      element(
        "p",
        { class: "abt-explain" },
        "Cross-attention: how much the decoder looked at each English token (column) while it wrote " +
          "each French token (row). Each row sums to 1.",
      ),
      element("div", { class: "abt-row" }, labelled("Layer", this.layer), labelled("Head", this.head)),
      this.caption,
      element(
        "div",
        { class: "abt-scroll", role: "region", tabindex: "0", "aria-label": "Cross-attention heat map" },
        this.table,
      ),
    );
    root.replaceChildren(this.form, this.status, this.result);
    this.busy = false;
    this.shown = null; // the translation shown: {result, words} (words: the source tokens as typed)
    this.form.addEventListener("submit", (event) => this.submit(event));
    this.input.addEventListener("focus", () => this.prepare(), { once: true });
    this.layer.addEventListener("change", () => this.drawHeatmap());
    this.head.addEventListener("change", () => this.drawHeatmap());
  }

  /** Show `message` under the form (an error if `error`). */
  say(message, error = false) {
    this.status.textContent = message;
    this.status.classList.toggle("abt-error", error);
  }

  /** Load the translator, saying how far it got; fill the layer and head selects the first time. */
  async load() {
    const translator = await loadTranslator((bytes) => {
      this.say(`Loading the translator (once per visit): ${(bytes / 1e6).toFixed(1)} MB…`);
    });
    if (this.layer.options.length === 0) {
      const { layers, heads } = translator.spec;
      const numbers = (count) =>
        Array.from({ length: count }, (_, i) => element("option", { value: i }, `${i + 1}`));
      this.layer.replaceChildren(...numbers(layers));
      this.layer.value = layers - 1; // the last layer, as chapter 9 shows it
      this.head.replaceChildren(element("option", { value: "mean" }, "mean of heads"), ...numbers(heads));
    }
    return translator;
  }

  /** On first focus, load the translator in the background. */
  async prepare() {
    try {
      await this.load();
      if (!this.busy) this.say("The translator is ready.");
    } catch (error) {
      if (!this.busy) this.say(messageFor(error), true);
    }
  }

  /** Translate the input and show the result; on any error, say what went wrong and stay usable. */
  async submit(event) {
    event.preventDefault();
    if (this.busy) return;
    const text = this.input.value;
    const beam = Number(this.beam.value);
    if (!text.trim()) {
      this.result.hidden = true;
      this.say("Type an English sentence to translate, for example “the red car is here”.", true);
      return;
    }
    this.busy = true;
    this.button.disabled = true;
    this.form.setAttribute("aria-busy", "true");
    try {
      const loadingNow = !ready;
      const translator = await this.load();
      this.say(beam === 1 ? "Translating…" : "Translating with beam search…");
      const result = await translator.translate(text, beam);
      const words = translator.tokenizer.tokenize(translator.tokenizer.read(text).normalized);
      this.show(result, words);
      this.say("");
      await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)));
      timings.push({ text, beam, milliseconds: performance.now() - event.timeStamp, loading: loadingNow });
    } catch (error) {
      this.result.hidden = true;
      this.say(messageFor(error), true);
    } finally {
      this.busy = false;
      this.button.disabled = false;
      this.form.removeAttribute("aria-busy");
    }
  }

  /** Show a translation: `result` from Translator.translate, `words` the source's words as read. */
  show(result, words) {
    this.shown = { result, words };
    this.french.textContent = result.text;
    this.unknown.textContent = result.unknown.length
      ? `Words the model does not know (it reads each as <unk>): ${result.unknown.join(", ")}.`
      : "";
    const written = result.tokens.target; // ends with <eos> unless the length limit came first
    this.unfinished.textContent =
      written.at(-1) === "<eos>"
        ? ""
        : `The translation did not end within ${written.length} words and stops there; ` +
          "the model may be repeating itself.";
    this.drawHeatmap();
    this.result.hidden = false;
  }

  /** Draw the shown translation's cross-attention for the selected layer and head. */
  drawHeatmap() {
    if (!this.shown) return;
    const { result, words } = this.shown;
    const layer = result.crossAttention[Number(this.layer.value)];
    const mean = this.head.value === "mean";
    const maps = mean ? meanOfHeads(layer) : layer[Number(this.head.value)]; // (target, source)
    const which = mean ? "mean of the heads" : `head ${Number(this.head.value) + 1}`;
    const columns = result.tokens.source.map((token, s) => {
      const cell = element("th", { scope: "col" });
      const word = words[s - 1]; // the source has <bos> before the words
      if (token === "<unk>") {
        cell.append(
          element("span", { class: "abt-unknown-word" }, word),
          element("span", { class: "abt-hidden" }, " (unknown)"),
        );
      } else {
        cell.append(token);
      }
      return cell;
    });
    const rows = result.tokens.target.map((token, t) =>
      element(
        "tr",
        {},
        element("th", { scope: "row", lang: "fr" }, token),
        ...maps[t].map((weight) => {
          const cell = element("td", {}, weight.toFixed(2));
          cell.style.setProperty("--weight", weight.toFixed(3));
          return cell;
        }),
      ),
    );
    const corner = element(
      "th",
      { scope: "col", class: "abt-corner" },
      "English →",
      element("br"),
      "French ↓",
    );
    const layerNumber = Number(this.layer.value) + 1;
    this.caption.textContent = `Layer ${layerNumber}, ${which}: rows French, columns English`;
    this.table.replaceChildren(
      element("thead", {}, element("tr", {}, corner, ...columns)),
      element("tbody", {}, ...rows),
    );
  }
}

const timings = [];

window.attentionBuilt = Object.assign(window.attentionBuilt ?? {}, {
  /** Translate `text` greedily (beam 1) or by beam search; see the top of this file. */
  async translate(text, { beam = 1 } = {}) {
    const translator = await loadTranslator(() => {});
    const { text: french, tokens, unknown, crossAttention } = await translator.translate(text, beam);
    return { text: french, tokens, unknown, crossAttention };
  },
  timings,
});

for (const root of document.querySelectorAll("div.attention-built-translator")) new TranslatorWidget(root);
