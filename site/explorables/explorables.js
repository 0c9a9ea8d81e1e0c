/* The book's explorables on the published site, drawn from the widget state stored in the page: a light
   stand-in for the ipywidgets HTML manager (1.1 MB gzipped) that draws only what book/chapters/explorable.py
   builds. tools/sphinx_assets.py copies this file and explorables.css into the site and loads them, deferred,
   on the pages that show widgets.

   A page holds one <script type="application/vnd.jupyter.widget-state+json"> with every stored model
   ({"state": {id: {"model_name", "state", "buffers"}}}, models referring to each other as "IPY_MODEL_<id>")
   and, where each widget is shown, a <script type="application/vnd.jupyter.widget-view+json"> naming its
   model. Each view is drawn into a <div class="explorable-view"> just before its script:
   - VBox, HBox, Box: a box of its children;
   - SelectionSlider: a <label> tied to a native <input type="range">, so the keyboard and screen readers
     work: its name is the slider's description, its aria-valuetext the selected option's label;
   - Stack: its selected child only, each child drawn once, when first shown;
   - HTML: its HTML; Image: an <img> of its bytes as a data URL, whose alt is its title in the Stack that
     holds it (Stack.titles, which a Stack does not show; an Image's own tooltip would break its view in
     Jupyter), else the sliders that select it with their options' labels ("head: head 2");
   - Link, DirectionalLink (jslink, jsdlink): a change of the source's attribute sets the target's, and for a
     Link back. Layout models style their widget; style models are left out.
   Every view keeps its model's CSS classes (_dom_classes: explorable, explorable-readout, ...). A model of
   any other kind in a shown widget is drawn as a message that names it, never as nothing.
   tests/test_explorables_js.py checks that every explorable shows and switches what the HTML manager
   shows. The script also gives the chapter's figure boxes that scroll on a phone a tab stop (below). */

(() => {
  "use strict";

  const STATE = 'script[type="application/vnd.jupyter.widget-state+json"]';
  const VIEW = 'script[type="application/vnd.jupyter.widget-view+json"]';
  const REFERENCE = "IPY_MODEL_";
  let sliders = 0; // numbers the sliders' ids, unique in the page

  /** One stored widget model: its state (buffers in place, as base64) and who listens to its changes. */
  class Model {
    constructor(stored) {
      this.name = stored.model_name;
      this.state = {...stored.state};
      for (const buffer of stored.buffers ?? []) this.state[buffer.path.join(".")] = buffer.data;
      this.listeners = [];
    }

    set(key, value) {
      if (this.state[key] === value) return;
      this.state[key] = value;
      for (const [watched, listener] of this.listeners) if (watched === key) listener(value);
    }

    on(key, listener) {
      this.listeners.push([key, listener]);
    }
  }

  function element(tag, className = "") {
    const made = document.createElement(tag);
    if (className) made.className = className;
    return made;
  }

  function message(text) {
    const note = element("p", "explorable-unsupported");
    note.textContent = text;
    return note;
  }

  /** The page's widgets: its models by id, and for each Stack the sliders linked to its selected_index. */
  class Widgets {
    constructor(stored) {
      this.models = new Map(Object.entries(stored).map(([id, model]) => [id, new Model(model)]));
      this.selectors = new Map();
      for (const model of this.models.values()) {
        if (model.name === "LinkModel" || model.name === "DirectionalLinkModel") this.link(model);
      }
    }

    model(reference) {
      const id = reference.startsWith(REFERENCE) ? reference.slice(REFERENCE.length) : reference;
      const model = this.models.get(id);
      if (model === undefined) throw new Error(`the page's widget state lacks the model ${id}`);
      return model;
    }

    link(link) {
      const [source, sourceKey] = [this.model(link.state.source[0]), link.state.source[1]];
      const [target, targetKey] = [this.model(link.state.target[0]), link.state.target[1]];
      target.set(targetKey, source.state[sourceKey]);
      source.on(sourceKey, (value) => target.set(targetKey, value));
      if (link.name === "LinkModel") target.on(targetKey, (value) => source.set(sourceKey, value));
      if (source.name === "SelectionSliderModel" && targetKey === "selected_index") {
        this.selectors.set(target, [...(this.selectors.get(target) ?? []), source]);
      }
    }

    /** The element showing ``model``; ``where`` names the slider options that select it and ``title`` is its
        title in the Stack that holds it, for alt text. */
    draw(model, where, title = "") {
      const draw = DRAW[model.name];
      if (draw === undefined) {
        return message(`This page cannot show a widget of type ${model.name}: run the notebook to see it.`);
      }
      const drawn = draw(this, model, where, title);
      drawn.classList.add(...(model.state._dom_classes ?? []));
      const layout = model.state.layout ? this.model(model.state.layout).state : {};
      for (const [key, value] of Object.entries(layout)) {
        if (!key.startsWith("_") && value !== null && value !== "") {
          drawn.style.setProperty(key.replaceAll("_", "-"), value);
        }
      }
      return drawn;
    }
  }

  function box(widgets, model, where) {
    const drawn = element("div", model.name === "HBoxModel" ? "widget-hbox" : "widget-vbox");
    drawn.append(...model.state.children.map((child) => widgets.draw(widgets.model(child), where)));
    return drawn;
  }

  function slider(widgets, model) {
    const drawn = element("div", "explorable-slider");
    const label = element("label");
    const input = element("input");
    const readout = model.state.readout ? element("output") : null; // the explorables hide it
    const labels = model.state._options_labels;
    input.id = label.htmlFor = `explorable-slider-${++sliders}`;
    label[model.state.description_allow_html ? "innerHTML" : "textContent"] = model.state.description;
    Object.assign(input, {type: "range", min: 0, max: labels.length - 1, step: 1});
    const show = (index) => {
      input.value = index;
      input.setAttribute("aria-valuetext", labels[index]);
      if (readout) readout.textContent = labels[index];
    };
    show(model.state.index);
    input.addEventListener("input", () => model.set("index", Number(input.value)));
    model.on("index", show);
    drawn.append(label, input, ...(readout ? [readout] : []));
    return drawn;
  }

  function stack(widgets, model, where) {
    const drawn = element("div", "widget-stack");
    const shown = new Map();
    const show = (index) => {
      const child = model.state.children[index];
      if (child === undefined) return drawn.replaceChildren(); // no selection
      if (!shown.has(index)) {
        const chosen = (widgets.selectors.get(model) ?? []).map(
          (slider) => `${slider.state.description}: ${slider.state._options_labels[index]}`,
        );
        const title = (model.state.titles ?? [])[index] ?? "";
        shown.set(index, widgets.draw(widgets.model(child), [...where, ...chosen], title));
      }
      drawn.replaceChildren(shown.get(index));
    };
    show(model.state.selected_index);
    model.on("selected_index", show);
    return drawn;
  }

  function html(widgets, model) {
    const drawn = element("div", "widget-html");
    drawn.innerHTML = model.state.value;
    return drawn;
  }

  function image(widgets, model, where, title) {
    const drawn = element("img");
    const {format, value, width, height} = model.state;
    drawn.src = `data:image/${format};base64,${value}`;
    drawn.alt = title || where.join("; ") || "A picture the notebook drew, with no description";
    if (width) drawn.setAttribute("width", width);
    if (height) drawn.setAttribute("height", height);
    return drawn;
  }

  const DRAW = {
    VBoxModel: box,
    HBoxModel: box,
    BoxModel: box,
    SelectionSliderModel: slider,
    StackModel: stack,
    HTMLModel: html,
    ImageModel: image,
  };

  /** The page's stored widgets, or the reason they cannot be read. */
  function storedWidgets() {
    const stored = document.querySelector(STATE);
    if (stored === null) return "the page stores no widget state";
    try {
      return new Widgets(JSON.parse(stored.textContent).state);
    } catch (error) {
      return `the page's widget state could not be read (${error.message})`;
    }
  }

  function drawViews() {
    const views = document.querySelectorAll(VIEW);
    if (views.length === 0) return;
    const widgets = storedWidgets();
    for (const view of views) {
      const area = element("div", "explorable-view");
      try {
        if (typeof widgets === "string") throw new Error(widgets);
        area.append(widgets.draw(widgets.model(JSON.parse(view.textContent).model_id), []));
      } catch (error) {
        area.append(message(`This widget could not be shown: ${error.message}.`));
      }
      view.before(area);
    }
  }

  /* On a phone a chapter's plots and frames keep the size they were drawn at and scroll sideways in their own
     box (_static/narrow-screens.css). A box that scrolls gets a place in the keyboard's tab order, so that it
     can be scrolled without a pointer (the theme does the same for code); a box that fits does not. The boxes
     are watched: an image that loads, a frame switched or a window resized changes which ones scroll. */
  const SCROLL_BOXES =
    ".bd-content div.cell_output:has(> img), .bd-content div.cell_output figure:has(> img), .explorable-frames";

  function tabStopsWhereBoxesScroll() {
    const update = (box) => {
      if (box.scrollWidth > box.clientWidth) box.tabIndex = 0;
      else box.removeAttribute("tabindex");
    };
    const watcher = new ResizeObserver((entries) => entries.forEach((entry) => update(entry.target)));
    for (const box of document.querySelectorAll(SCROLL_BOXES)) watcher.observe(box);
  }

  function start() {
    drawViews();
    tabStopsWhereBoxesScroll();
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
