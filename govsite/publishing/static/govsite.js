/* govsite 无障碍/长者 toolbar: 大字 ×1.5/×2, 高对比度, 行距, 阅读指引线, 重置. No framework, no third party.
   The modes are classes on <html>; the inline script in <head> applies the saved ones before the first
   paint, this file (deferred) wires the buttons, saves each change in localStorage and draws the guide. */
(function () {
  "use strict";
  var KEY = "govsite-a11y";
  var MODES = ["scale-15", "scale-2", "hc", "leading", "guide"];
  var root = document.documentElement;
  var tools = document.querySelector(".a11y-tools");
  var line = null;
  var lastY = -20;
  if (!tools) return;

  function active() {
    return MODES.filter(function (mode) { return root.classList.contains(mode); });
  }

  function save() {
    try { localStorage.setItem(KEY, active().join(" ")); } catch (e) { /* private mode: not kept */ }
  }

  function place(y) {
    lastY = y;
    if (line) line.style.top = Math.round(y) + "px";
  }

  function showGuide() {
    var on = root.classList.contains("guide");
    if (on && !line) {
      line = document.createElement("div");
      line.className = "reading-guide";
      line.setAttribute("aria-hidden", "true");
      document.body.appendChild(line);
      place(lastY);
    }
    if (line) line.hidden = !on;
  }

  function sync() {
    var buttons = tools.querySelectorAll("button[data-mode]");
    for (var i = 0; i < buttons.length; i++) {
      var on = root.classList.contains(buttons[i].getAttribute("data-mode"));
      buttons[i].setAttribute("aria-pressed", on ? "true" : "false");
    }
    showGuide();
  }

  tools.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("button") : null;
    if (!button) return;
    var mode = button.getAttribute("data-mode");
    if (!mode) {
      MODES.forEach(function (m) { root.classList.remove(m); });
    } else {
      var on = !root.classList.contains(mode);
      if (mode.indexOf("scale-") === 0) { root.classList.remove("scale-15", "scale-2"); }
      root.classList.toggle(mode, on);
    }
    save();
    sync();
  });

  // The guide follows the pointer, and the keyboard focus for those who do not use a mouse.
  document.addEventListener("mousemove", function (event) { place(event.clientY); }, { passive: true });
  document.addEventListener("focusin", function (event) {
    if (event.target && event.target.getBoundingClientRect) place(event.target.getBoundingClientRect().bottom + 2);
  });
  // Another tab changed the settings: follow it.
  window.addEventListener("storage", function (event) {
    if (event.key !== KEY) return;
    MODES.forEach(function (m) { root.classList.remove(m); });
    (event.newValue || "").split(" ").forEach(function (m) { if (MODES.indexOf(m) >= 0) root.classList.add(m); });
    sync();
  });
  sync();
})();
