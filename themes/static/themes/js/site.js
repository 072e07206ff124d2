/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  function setupMenu() {
    // The style sheet folds the menu on small screens; this only opens and closes it.
    var nav = document.querySelector(".main-nav");
    var toggle = nav && nav.querySelector(".main-nav__toggle");
    if (!toggle) return;
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("main-nav--open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function focusErrorSummary() {
    var summary = document.querySelector(".error-summary");
    if (summary) summary.focus();
  }

  document.addEventListener("DOMContentLoaded", function () {
    setupMenu();
    focusErrorSummary();
  });
})();
