// Follows background work on a staff page opened with ?suivi=auto (the lottery's
// computation on the draw overview, the letters' production on the council overview).
// One script for every such page, driven by the markup:
//
//   <div id="…" data-suivi="auto"          the box that follows the work (one per page)
//        data-page="/gestion/…"            the page loaded once at the end (without ?suivi=auto)
//        data-suivi-ids="id1 id2 …">       the elements copied from the fetched page, by id
//     <p data-suivi-sans-js>…</p>          shown without JavaScript, hidden by this script
//     <p data-suivi-avec-js hidden>…</p>   shown by this script (the link to stop following)
//
// Every 3 seconds the same page is fetched and the listed elements are updated in place:
// no reload, so the keyboard focus stays where it is (no <meta http-equiv="refresh">,
// WCAG 2.2.1 / axe-core « meta-refresh »). A <progress> is copied attribute by attribute
// (max, value) and by its text; any other element by its content and its `hidden`, and
// only when it changed: a polite live region (the stage label) is heard once per stage,
// not at each tick. When the fetched page no longer follows anything (the box is gone or
// no longer data-suivi="auto": done, failed, interrupted), data-page is loaded once, so
// the result shows. Without JavaScript the page says how to refresh it.
// While the server does not answer (stopped, restarting, network down), a polite status
// in the box says so, once, with the time of the last update; it is emptied when the
// server answers again (the progress shown before is otherwise silently out of date).

const PERIOD_MS = 3000;

const box = document.querySelector('[data-suivi="auto"]');
let outage = null; // the polite status saying that the server does not answer
let lastUpdate = new Date();

function time(date) {
  return date.toLocaleTimeString("fr-FR", { hour: "2-digit", minute: "2-digit", second: "2-digit" });
}

function sayOutage() {
  // Written once per outage: a live region rewritten at each tick would be heard each time.
  if (outage === null || outage.textContent !== "") return;
  outage.textContent =
    `Le serveur ne répond pas : l'avancement affiché date de ${time(lastUpdate)}. ` +
    "La page réessaie toute seule toutes les 3 secondes.";
}

function sayBack() {
  lastUpdate = new Date();
  if (outage !== null && outage.textContent !== "") outage.textContent = "";
}

function showResult() {
  // replace(): the back button does not come back to a page that leaves at once.
  window.location.replace(box.dataset.page);
}

function copyProgress(bar, freshBar) {
  for (const name of ["max", "value"]) {
    const value = freshBar.getAttribute(name);
    if (value === null) bar.removeAttribute(name);
    else if (bar.getAttribute(name) !== value) bar.setAttribute(name, value);
  }
  if (bar.textContent !== freshBar.textContent) bar.textContent = freshBar.textContent;
}

function copy(here, there) {
  if (here.localName === "progress" && there.localName === "progress") {
    copyProgress(here, there);
    return;
  }
  if (here.innerHTML !== there.innerHTML) {
    here.replaceChildren(...Array.from(there.childNodes, (node) => document.importNode(node, true)));
  }
  if (here.hidden !== there.hidden) here.hidden = there.hidden;
}

function update(fresh) {
  for (const id of (box.dataset.suiviIds || "").split(/\s+/)) {
    if (id === "") continue;
    const here = document.getElementById(id);
    const there = fresh.getElementById(id);
    if (here !== null && there !== null) copy(here, there);
  }
}

async function poll() {
  let html;
  try {
    const response = await fetch(window.location.href, {
      credentials: "same-origin",
      cache: "no-store",
      // X-Tirage-Follow: the page is rendered without its flash messages, which stay for
      // the next page the person opens (a check in the background must not consume them).
      headers: { Accept: "text/html", "X-Tirage-Follow": "1" },
    });
    if (response.status >= 500) throw new Error(`HTTP ${response.status}`);
    html = await response.text();
  } catch {
    // Network hiccup or server restarting: say so, and try again at the next tick.
    sayOutage();
    window.setTimeout(poll, PERIOD_MS);
    return;
  }
  const fresh = new DOMParser().parseFromString(html, "text/html");
  const freshBox = box.id ? fresh.getElementById(box.id) : null;
  if (freshBox === null || freshBox.dataset.suivi !== "auto") {
    showResult();
    return;
  }
  sayBack();
  update(fresh);
  window.setTimeout(poll, PERIOD_MS);
}

if (box !== null) {
  for (const element of box.querySelectorAll("[data-suivi-sans-js]")) element.hidden = true;
  for (const element of box.querySelectorAll("[data-suivi-avec-js]")) element.hidden = false;
  // Present (empty) from the start, so that screen readers hear what is written in it.
  outage = document.createElement("p");
  outage.setAttribute("role", "status");
  outage.id = `${box.id || "suivi"}-hors-ligne`;
  const stopLink = box.querySelector("[data-suivi-avec-js]");
  if (stopLink === null) box.append(outage);
  else stopLink.before(outage);
  window.setTimeout(poll, PERIOD_MS);
}
