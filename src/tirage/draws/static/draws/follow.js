// Follows the lottery's computation on the staff overview opened with ?suivi=auto.
//
// Every 3 seconds the same page is fetched and the progress box is updated in place:
// no reload, so the keyboard focus stays where it is (no <meta http-equiv="refresh">,
// WCAG 2.2.1 / axe-core « meta-refresh »). The stage label is a polite live region and
// is written only when it changes: a screen reader hears each new stage, not each tick.
// When the fetched page no longer has a computation to follow (done, failed,
// interrupted), the page is loaded once without ?suivi=auto, so the result shows.
// Without JavaScript the page says how to refresh it (progressive enhancement).

const PERIOD_MS = 3000;
// Elements of the box copied from the fetched page (the live stage label apart).
const COPIED = ["statut-tirage", "avancement-pourcent", "avancement-texte"];

const box = document.getElementById("suivi-calcul");

function showResult() {
  // replace(): the back button does not come back to a page that leaves at once.
  window.location.replace(box.dataset.page);
}

function setText(id, fresh) {
  const here = document.getElementById(id);
  const there = fresh.getElementById(id);
  if (here === null || there === null) return;
  if (here.textContent !== there.textContent) here.textContent = there.textContent;
  here.hidden = there.hidden;
}

function update(fresh) {
  setText("avancement-etape", fresh); // written only on change: announced once per stage
  for (const id of COPIED) setText(id, fresh);
  const bar = document.getElementById("avancement");
  const freshBar = fresh.getElementById("avancement");
  if (bar !== null && freshBar !== null) {
    for (const name of ["max", "value"]) {
      const value = freshBar.getAttribute(name);
      if (value === null) bar.removeAttribute(name);
      else if (bar.getAttribute(name) !== value) bar.setAttribute(name, value);
    }
    if (bar.textContent !== freshBar.textContent) bar.textContent = freshBar.textContent;
  }
  // The warning « Aucun worker n'a pris ce calcul » (role="alert"): replaced only when it changes.
  const waiting = document.getElementById("avancement-attente");
  const freshWaiting = fresh.getElementById("avancement-attente");
  if (waiting !== null && freshWaiting !== null && waiting.textContent !== freshWaiting.textContent) {
    waiting.replaceChildren(...Array.from(freshWaiting.childNodes, (node) => document.importNode(node, true)));
  }
}

async function poll() {
  let html;
  try {
    const response = await fetch(window.location.href, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "text/html" },
    });
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
    html = await response.text();
  } catch {
    // Network hiccup or server restarting: try again at the next tick.
    window.setTimeout(poll, PERIOD_MS);
    return;
  }
  const fresh = new DOMParser().parseFromString(html, "text/html");
  const freshBox = fresh.getElementById("suivi-calcul");
  if (freshBox === null || freshBox.dataset.suivi !== "auto") {
    showResult();
    return;
  }
  update(fresh);
  window.setTimeout(poll, PERIOD_MS);
}

if (box !== null && box.dataset.suivi === "auto") {
  document.getElementById("suivi-sans-js").hidden = true;
  document.getElementById("suivi-avec-js").hidden = false;
  window.setTimeout(poll, PERIOD_MS);
}
