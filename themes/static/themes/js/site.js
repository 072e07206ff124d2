/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.replace("no-js", "js");

  function setupMenu() {
    var nav = document.querySelector(".main-nav");
    var toggle = nav && nav.querySelector(".main-nav__toggle");
    if (!toggle) return;
    var small = window.matchMedia("(max-width: 47.99rem)");
    function apply() {
      if (small.matches) {
        toggle.hidden = false;
        nav.classList.add("main-nav--collapsed");
        toggle.setAttribute("aria-expanded", "false");
      } else {
        toggle.hidden = true;
        nav.classList.remove("main-nav--collapsed");
      }
    }
    toggle.addEventListener("click", function () {
      var open = nav.classList.toggle("main-nav--collapsed") === false;
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
    small.addEventListener("change", apply);
    apply();
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
