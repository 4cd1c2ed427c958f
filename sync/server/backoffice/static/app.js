// Loket back office: confirmation before a workflow step, and "/" to jump to the search box.
"use strict";
(function () {
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form.getAttribute("data-confirm");
    if (form.hasAttribute("data-confirm-step")) {
      var button = event.submitter;
      question = button ? button.textContent.trim() + "?" : null;
    }
    if (question && !window.confirm(question)) {
      event.preventDefault();
      return;
    }
    // One click, one step: a second click while the first is on its way is ignored.
    if (form.dataset.sent === "1") { event.preventDefault(); return; }
    form.dataset.sent = "1";
    window.setTimeout(function () { form.dataset.sent = ""; }, 5000);
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "/" || event.ctrlKey || event.altKey || event.metaKey) { return; }
    var tag = (document.activeElement && document.activeElement.tagName) || "";
    if (tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT") { return; }
    var box = document.getElementById("cari");
    if (box) { event.preventDefault(); box.focus(); box.select(); }
  });
})();
