// The verifier page: reads the files (published on the site, or chosen by the
// person), hands them to the worker (worker.js → checks.js) and shows the report.
// No inline script, no eval, no third-party code; the content of the files is
// only ever written with textContent.

const form = document.getElementById("verifier-form");
const status = document.getElementById("verifier-status");
const progress = document.getElementById("verifier-progress");
const reportBox = document.getElementById("verifier-report");
const bundleInput = document.getElementById("verifier-bundle");
const bundleError = document.getElementById("verifier-bundle-error");

const STATUS_WORDS = { pass: "juste", fail: "faux", skip: "non vérifié" };
const ICONS = { pass: "✓", fail: "✗", skip: "–" };
const seconds = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 });

// The worker is started with the page, so that its code is loaded while the
// person is online: the verification itself needs no connection.
const worker = new Worker(form.dataset.worker, { type: "module" });
let running = null; // {id, resolve, reject} of the verification in progress
let busy = false;
let nextId = 1;

worker.addEventListener("message", (event) => {
  const message = event.data;
  if (!running || message.id !== running.id) return;
  if (message.type === "progress") {
    progress.textContent = message.text;
  } else if (message.type === "report") {
    running.resolve(message.report);
  } else {
    running.reject(new Error(message.message));
  }
});
worker.addEventListener("error", () => running && running.reject(new Error("le programme de vérification n'a pas pu démarrer")));

function element(tag, text, attributes = {}) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = text;
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  return node;
}

function setStatus(text) {
  status.textContent = text;
}

function fieldError(message) {
  bundleError.textContent = message;
  bundleError.hidden = !message;
  bundleInput.closest(".field").classList.toggle("has-error", Boolean(message));
  if (message) {
    bundleInput.setAttribute("aria-invalid", "true");
    bundleInput.setAttribute("aria-describedby", bundleError.id);
  } else {
    bundleInput.removeAttribute("aria-invalid");
    bundleInput.removeAttribute("aria-describedby");
  }
}

async function download(url, what) {
  const response = await fetch(url, { credentials: "same-origin" });
  if (!response.ok) throw new Error(`le site n'a pas donné ${what} (erreur ${response.status})`);
  return response.arrayBuffer();
}

async function readInputs(published) {
  if (published) {
    const { bundleUrl, resultUrl } = form.dataset;
    try {
      return await Promise.all([download(bundleUrl, "la loterie"), resultUrl ? download(resultUrl, "le résultat") : null]);
    } catch (error) {
      throw new Error(`Impossible de télécharger les fichiers publiés : ${error.message}. Vérifiez la connexion, ou choisissez des fichiers enregistrés.`);
    }
  }
  const bundleFile = bundleInput.files[0];
  if (!bundleFile) {
    fieldError("Choisissez le fichier de la loterie (par exemple tirage-1-loterie.json).");
    bundleInput.focus();
    return null;
  }
  const resultFile = form.elements.result.files[0];
  return Promise.all([bundleFile.arrayBuffer(), resultFile ? resultFile.arrayBuffer() : null]);
}

function summary(report, elapsed) {
  const run = report.checks.filter((c) => c.status !== "skip");
  const failing = run.filter((c) => c.status === "fail");
  const time = `${seconds.format(elapsed)} s`;
  if (failing.length) {
    const names = failing.map((c) => c.label).join(" ; ");
    return failing.length === 1
      ? `Vérification terminée en ${time} : 1 contrôle sur ${run.length} échoue : ${names}.`
      : `Vérification terminée en ${time} : ${failing.length} contrôles sur ${run.length} échouent : ${names}.`;
  }
  let text = `Vérification terminée en ${time} : les ${run.length} contrôles effectués sont justes.`;
  const ran = (id) => run.some((c) => c.id === id);
  if (ran("reserve") && ran("announced commitment")) {
    text += " Le résultat publié découle de la loterie annoncée et du hasard enregistré.";
  } else if (!ran("announced commitment")) {
    text += " Comparez aussi l'empreinte de la loterie à celle annoncée avant le tirage.";
  }
  return text;
}

function renderFacts(facts) {
  const list = element("ul", null, { class: "verifier-facts" });
  const add = (label, value, className) => {
    const item = element("li", `${label} : `);
    item.append(element(className === "hash" ? "code" : "strong", value, className ? { class: className } : {}));
    list.append(item);
  };
  if (facts.title) add("Loterie", facts.title);
  if (facts.commitment) add("Empreinte publiée", facts.commitment, "hash");
  if (facts.m) add("Panels", `${facts.m.toLocaleString("fr-FR")} panels de ${facts.seats} sièges, ${facts.people.toLocaleString("fr-FR")} personnes dans le vivier`);
  if (facts.draw) add("Panel tiré", `n° ${facts.draw.index}`);
  return list;
}

function renderCheck(check) {
  const item = element("li", null, { class: `check check-${check.status}`, "data-check": check.id, "data-status": check.status });
  const heading = element("h3");
  heading.append(element("span", ICONS[check.status], { class: "check-icon", "aria-hidden": "true" }), ` ${check.label} : `);
  heading.append(element("span", STATUS_WORDS[check.status], { class: "check-status" }));
  item.append(heading);
  if (check.detail) item.append(element("p", check.detail, { class: "check-detail" }));
  if (check.problems.length) {
    const problems = element("ul", null, { class: "check-problems" });
    for (const problem of check.problems) problems.append(element("li", problem));
    item.append(problems);
  }
  return item;
}

function render(report, elapsed) {
  const list = element("ol", null, { class: "checks" });
  for (const check of report.checks) list.append(renderCheck(check));
  reportBox.replaceChildren(renderFacts(report.facts), list);
  reportBox.dataset.seconds = String(elapsed);
  setStatus(summary(report, elapsed));
}

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (busy) return; // one verification at a time; the buttons stay focusable
  busy = true;
  fieldError("");
  const published = event.submitter && event.submitter.value === "published";
  const started = performance.now();
  reportBox.setAttribute("aria-busy", "true");
  setStatus("Vérification en cours…");
  progress.hidden = false;
  progress.textContent = "Lecture des fichiers…";
  reportBox.replaceChildren();
  try {
    if (!globalThis.crypto || !crypto.subtle) {
      throw new Error("Ce navigateur ne calcule pas les empreintes SHA-256 sur cette page : ouvrez-la à une adresse en https.");
    }
    const files = await readInputs(published);
    if (!files) {
      setStatus("Vérification impossible : choisissez d'abord le fichier de la loterie.");
      return;
    }
    const [bundle, result] = files;
    const id = nextId++;
    const report = await new Promise((resolve, reject) => {
      running = { id, resolve, reject };
      const transfer = [bundle, result].filter(Boolean);
      worker.postMessage({ id, bundle, result, announced: form.elements.announced.value, notedDice: form.elements.dice.value }, transfer);
    });
    render(report, (performance.now() - started) / 1000);
  } catch (error) {
    setStatus(error.message.startsWith("Impossible") || error.message.startsWith("Ce navigateur") ? error.message : `La vérification s'est arrêtée : ${error.message}.`);
  } finally {
    running = null;
    busy = false;
    progress.hidden = true;
    reportBox.removeAttribute("aria-busy");
  }
});
