// Opora's support button for a school's site:
//   <script src="https://support.example.ru/widget.js" data-school="school5" defer></script>
// Adds «Поддержка обучения в дистанционный период» with the hotline number. The button opens the form in
// a modal dialog (focus stays inside, Esc closes); on narrow screens it opens the form page instead.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script) return;
  var school = script.getAttribute("data-school");
  var base = new URL(script.src, window.location.href).origin;
  var target = script.getAttribute("data-target");
  var NARROW = 600;

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (text) node.textContent = text;
    return node;
  }

  function styles() {
    var css = ".opora-support{font:16px/1.4 system-ui,sans-serif;display:inline-flex;flex-wrap:wrap;gap:.5rem;align-items:center}" +
      ".opora-support button{background:#0b5ed7;color:#fff;border:0;border-radius:.5rem;padding:.75rem 1rem;font:inherit;font-weight:600;cursor:pointer}" +
      ".opora-support button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}" +
      ".opora-dialog{width:min(760px,96vw);height:min(90vh,900px);padding:0;border:0;border-radius:.75rem}" +
      ".opora-dialog::backdrop{background:rgba(0,0,0,.55)}" +
      ".opora-dialog .opora-bar{display:flex;justify-content:space-between;align-items:center;padding:.5rem .75rem;background:#f1f3f5}" +
      ".opora-dialog .opora-bar h2{font:600 1rem system-ui,sans-serif;margin:0}" +
      ".opora-dialog .opora-close{background:#212529;color:#fff;border:0;border-radius:.4rem;padding:.4rem .8rem;font:inherit;cursor:pointer}" +
      ".opora-dialog iframe{width:100%;height:calc(100% - 3rem);border:0}";
    var tag = el("style");
    tag.textContent = css;
    document.head.appendChild(tag);
  }

  function openDialog(config, opener) {
    var dialog = el("dialog", { "class": "opora-dialog", "aria-labelledby": "opora-dialog-title" });
    var bar = el("div", { "class": "opora-bar" });
    bar.appendChild(el("h2", { id: "opora-dialog-title" }, config.label));
    var close = el("button", { type: "button", "class": "opora-close" }, "Закрыть");
    bar.appendChild(close);
    dialog.appendChild(bar);
    dialog.appendChild(el("iframe", { src: config.form + "?embed=1", title: config.label + " — " + config.school }));
    document.body.appendChild(dialog);
    close.addEventListener("click", function () { dialog.close(); });
    // Esc pressed inside the form (an iframe) arrives as a message from Opora's own origin.
    window.addEventListener("message", function onMessage(event) {
      if (event.origin === base && event.data === "opora:close" && dialog.open) {
        window.removeEventListener("message", onMessage);
        dialog.close();
      }
    });
    dialog.addEventListener("close", function () { dialog.remove(); opener.focus(); });
    dialog.showModal();
    close.focus();
  }

  function render(config) {
    styles();
    var box = el("div", { "class": "opora-support", role: "region", "aria-label": config.label });
    var button = el("button", { type: "button" }, config.label);
    box.appendChild(button);
    if (config.hotline) {
      box.appendChild(el("span", {}, "Горячая линия: "));
      box.lastChild.appendChild(el("a", { href: "tel:" + config.hotline.replace(/[^+\d]/g, "") }, config.hotline));
    }
    button.addEventListener("click", function () {
      // Pages without a viewport tag report a 980 px layout on phones, so the screen decides too.
      var width = Math.min(window.innerWidth, window.screen ? window.screen.width : window.innerWidth);
      if (width < NARROW || typeof HTMLDialogElement === "undefined") {
        window.location.href = config.form;
      } else {
        openDialog(config, button);
      }
    });
    var host = target ? document.querySelector(target) : null;
    (host || document.body).appendChild(box);
  }

  fetch(base + "/o/" + encodeURIComponent(school) + "/widget.json")
    .then(function (r) { return r.json(); })
    .then(render)
    .catch(function () { /* the school's site keeps working without the button */ });
})();
