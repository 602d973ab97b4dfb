// The review workspace: findings beside their highlights, click either to reach the other,
// J/K/E/C to work through them from the keyboard. The forms themselves are plain htmx.
(function () {
  "use strict";
  const SEVERITY = { error: 3, warning: 2, info: 1 };
  const GAP = 6;
  const all = (selector, root) => Array.from((root || document).querySelectorAll(selector));
  const wide = window.matchMedia("(min-width: 901px)");
  let active = null; // the index (a string) of the open finding

  const cardOf = (index) => document.getElementById("card-" + index);
  const cards = () => all(".findings-pane .fcard");
  const marksOf = (index) => all('mark[data-f~="' + index + '"]');

  function anchorOf(card) {
    const mark = marksOf(card.dataset.f)[0];
    if (mark) return mark;
    return card.dataset.para ? document.getElementById("p-" + card.dataset.para) : null;
  }

  // -- margin comments: each card level with its highlight, pushed down when they crowd.
  function layout() {
    const margin = document.getElementById("margin");
    if (!margin) return;
    const list = all(".fcard", margin);
    if (!wide.matches) {
      margin.classList.remove("aligned");
      margin.style.height = "";
      list.forEach((card) => { card.style.top = ""; });
      return;
    }
    margin.classList.add("aligned");
    const base = margin.getBoundingClientRect().top;
    const want = list.map((card) => {
      const anchor = anchorOf(card);
      return anchor ? Math.max(0, anchor.getBoundingClientRect().top - base) : 0;
    });
    const height = list.map((card) => card.offsetHeight);
    const top = [];
    let y = 0;
    list.forEach((card, i) => { top[i] = Math.max(want[i], y); y = top[i] + height[i] + GAP; });
    // The open card sits exactly beside its text; those above it make room upwards.
    const pin = list.findIndex((card) => card.dataset.f === active);
    if (pin >= 0 && top[pin] > want[pin]) {
      const moved = top.slice();
      moved[pin] = want[pin];
      for (let i = pin - 1; i >= 0; i--) {
        moved[i] = Math.min(moved[i], moved[i + 1] - GAP - height[i]);
      }
      // Not above the top of the margin: then the open card comes as close as it can.
      const lift = Math.min(0, moved[0]);
      for (let i = 0; i <= pin; i++) moved[i] -= lift;
      y = moved[pin] + height[pin] + GAP;
      for (let i = pin + 1; i < list.length; i++) {
        moved[i] = Math.max(want[i], y);
        y = moved[i] + height[i] + GAP;
      }
      top.splice(0, top.length, ...moved);
    }
    list.forEach((card, i) => { card.style.top = top[i] + "px"; });
    margin.style.height = (list.length ? top[list.length - 1] + height[list.length - 1] : 0) + "px";
  }

  // -- the look of a highlight follows its findings' states after an in-place update.
  function restyle() {
    all("mark.finding[data-f]").forEach((mark) => {
      let best = null;
      mark.dataset.f.split(" ").forEach((index) => {
        const card = cardOf(index);
        if (!card || card.dataset.state !== "open") return;
        if (!best || SEVERITY[card.dataset.sev] > SEVERITY[best]) best = card.dataset.sev;
      });
      if (!best && mark.classList.contains("dismissed")) return;
      mark.classList.remove("sev-error", "sev-warning", "sev-info", "dismissed");
      mark.classList.add(best ? "sev-" + best : "dismissed");
    });
  }

  function activate(index, how) {
    const card = cardOf(index);
    if (!card) return;
    if (active !== null && active !== index) {
      const old = cardOf(active);
      if (old) old.classList.remove("active");
      marksOf(active).forEach((m) => m.classList.remove("current"));
    }
    active = index;
    card.classList.add("active");
    marksOf(index).forEach((m) => m.classList.add("current"));
    layout();
    const anchor = anchorOf(card);
    if (how.text && anchor) anchor.scrollIntoView({ block: "center" });
    if (how.card || !wide.matches || !anchor) card.scrollIntoView({ block: "nearest" });
    card.focus({ preventScroll: true });
  }

  function step(direction) {
    const list = cards();
    if (!list.length) return;
    let i = list.findIndex((card) => card.dataset.f === active);
    i = i < 0 ? (direction > 0 ? 0 : list.length - 1) : Math.min(list.length - 1, Math.max(0, i + direction));
    activate(list[i].dataset.f, { text: true, card: !wide.matches });
  }

  function openAction(kind) {
    if (active === null) step(1);
    const card = cardOf(active);
    const details = card && card.querySelector("details." + kind);
    if (!details) return;
    details.open = true;
    const field = details.querySelector("input[type=text], textarea");
    if (field) field.focus();
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target;
    const card = target.closest ? target.closest(".fcard") : null;
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey) && card && target.matches("textarea")) {
      event.preventDefault();
      target.form.requestSubmit();
      return;
    }
    if (event.key === "Escape" && card && !document.querySelector("dialog[open]")) {
      all("details[open]", card).forEach((d) => { d.open = false; });
      card.focus();
      return;
    }
    if (event.ctrlKey || event.metaKey || event.altKey || event.isComposing) return;
    if (target.matches && target.matches("input, textarea, select, [contenteditable]")) return;
    if (document.querySelector("dialog[open]")) return;
    const actions = { j: () => step(1), k: () => step(-1), e: () => openAction("dismiss"), c: () => openAction("note") };
    const act = actions[event.key.toLowerCase()];
    if (!act) return;
    event.preventDefault();
    act();
  });

  document.addEventListener("click", (event) => {
    const mark = event.target.closest("mark.finding[data-f]");
    if (mark && mark.dataset.f) {
      activate(mark.dataset.f.split(" ")[0], { card: true });
      return;
    }
    const link = event.target.closest('a[href^="#card-"]');
    if (link) {
      event.preventDefault();
      all("dialog[open]").forEach((d) => d.close());
      activate(link.getAttribute("href").slice("#card-".length), { text: true, card: true });
      return;
    }
    const card = event.target.closest(".findings-pane .fcard");
    if (!card) return;
    const onControl = event.target.closest("a, button, summary, input, textarea, select, label, form");
    activate(card.dataset.f, { text: !onControl });
  });

  // Cards grow when a form opens; the margin makes room.
  document.addEventListener("toggle", (event) => {
    if (event.target.closest && event.target.closest(".fcard")) layout();
  }, true);

  document.addEventListener("htmx:afterSettle", () => {
    restyle();
    const card = active === null ? null : cardOf(active);
    if (card) {
      card.classList.add("active");
      if (!document.activeElement || document.activeElement === document.body) card.focus({ preventScroll: true });
    }
    layout();
  });

  function start() {
    const bar = document.getElementById("bar");
    if (bar && window.ResizeObserver) {
      new ResizeObserver(() => {
        document.documentElement.style.setProperty("--bar-h", bar.offsetHeight + "px");
      }).observe(bar);
    }
    if (!window.matchMedia("(min-width: 1281px)").matches) {
      all(".rail details[open]").forEach((d) => { d.open = false; });
    }
    const text = document.getElementById("text");
    if (text && window.ResizeObserver) new ResizeObserver(layout).observe(text);
    wide.addEventListener("change", layout);
    if (document.fonts) document.fonts.ready.then(layout);
    layout();
    const hash = window.location.hash;
    if (hash.startsWith("#card-")) activate(hash.slice("#card-".length), { text: true, card: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
