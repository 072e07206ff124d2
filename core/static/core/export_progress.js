// While the export is being written, look again every two seconds (the page works
// without this too: its Refresh button does the same).
(function () {
  if (document.querySelector("[data-export-waiting]")) {
    window.setTimeout(function () { window.location.reload(); }, 2000);
  }
})();
