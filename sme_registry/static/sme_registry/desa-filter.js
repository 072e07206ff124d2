/* Narrows the desa list to the chosen kecamatan. Without this script the list
   is grouped by kecamatan and the server checks that the two belong together. */
(function () {
  "use strict";
  function setup() {
    document.querySelectorAll("select[data-kecamatan-select]").forEach(function (kecamatan) {
      var prefix = kecamatan.name.replace(/kecamatan$/, "");
      var desa = kecamatan.form.querySelector('select[name="' + prefix + 'desa"]');
      if (!desa) return;
      var groups = Array.prototype.slice.call(desa.querySelectorAll("optgroup"));
      function apply() {
        var chosen = kecamatan.options[kecamatan.selectedIndex];
        var name = chosen && chosen.value ? chosen.text : null;
        groups.forEach(function (g) {
          var show = !name || g.label === name;
          g.hidden = !show;
          g.disabled = !show;
        });
        var selected = desa.options[desa.selectedIndex];
        if (name && selected && selected.parentNode.label && selected.parentNode.label !== name) {
          desa.value = "";
        }
      }
      kecamatan.addEventListener("change", apply);
      apply();
    });
  }
  document.addEventListener("DOMContentLoaded", setup);
})();
