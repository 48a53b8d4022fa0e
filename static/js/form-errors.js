/* Keeps the page title's "Fehler:" prefix true when htmx swaps a form with errors in
   or out (full pages get it from base.html). The error summary itself takes focus
   through its autofocus attribute, which htmx honours after a swap. */
(function () {
  "use strict";
  function sync() {
    const prefix = document.body.dataset.errorTitle;
    if (!prefix) {
      return;
    }
    const marked = document.title.startsWith(prefix + " ");
    const errors = document.getElementById("form-errors") !== null;
    if (errors && !marked) {
      document.title = prefix + " " + document.title;
    } else if (!errors && marked) {
      document.title = document.title.slice(prefix.length + 1);
    }
  }
  document.addEventListener("htmx:afterSettle", sync);
})();
