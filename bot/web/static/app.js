// mailhelp web chat: asks without reloading the page, and copies
// settings and links. Every answer is rendered by the server (escaped);
// the page works without this script.
"use strict";
(function () {
  var body = document.body;

  function copyText(text, button) {
    var done = function () { flash(button, body.dataset.copied); };
    var fail = function () { flash(button, body.dataset.copyFailed); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { legacyCopy(text) ? done() : fail(); });
    } else {
      legacyCopy(text) ? done() : fail();
    }
  }

  function legacyCopy(text) {
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }

  function flash(button, label) {
    if (!button.dataset.label) { button.dataset.label = button.textContent; }
    button.textContent = label;
    button.classList.add("copied");
    setTimeout(function () { button.textContent = button.dataset.label; button.classList.remove("copied"); }, 2000);
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("button.copy");
    if (b) { ev.preventDefault(); copyText(b.dataset.copy, b); }
  });

  var conversation = document.getElementById("conversation");
  if (!conversation) { return; }

  document.addEventListener("submit", function (ev) {
    var form = ev.target;
    if (!form.classList.contains("ask-form")) { return; }
    ev.preventDefault();
    var params = new URLSearchParams(new FormData(form));
    params.set("partial", "1");
    var buttons = form.querySelectorAll("button");
    buttons.forEach(function (b) { b.disabled = true; });
    // Progress while the answer comes: a live check takes seconds.
    var pending = document.createElement("div");
    pending.className = "exchange pending";
    var status = document.createElement("p");
    status.className = "progress";
    status.setAttribute("role", "status");
    status.textContent = body.dataset.working;
    pending.appendChild(status);
    conversation.appendChild(pending);
    pending.scrollIntoView({ block: "start" });
    // The chat's forms post (a live check runs only from a POST of this
    // site, with the form's token); a form that gets is asked by GET.
    var post = (form.getAttribute("method") || "get").toLowerCase() === "post";
    var action = form.getAttribute("action") || "/ask";
    var sent = post
      ? fetch(action, { method: "POST", body: params, credentials: "same-origin", headers: { "Accept": "text/html" } })
      : fetch(action + "?" + params.toString(), { credentials: "same-origin", headers: { "Accept": "text/html" } });
    sent
      .then(function (r) { return r.text(); })
      .then(function (html) {
        pending.insertAdjacentHTML("beforebegin", html);
        var last = pending.previousElementSibling;
        if (last) { last.scrollIntoView({ block: "start" }); }
        if (form.id === "ask") { form.reset(); }
      })
      .finally(function () {
        pending.remove();
        buttons.forEach(function (b) { b.disabled = false; });
      });
  });
})();
