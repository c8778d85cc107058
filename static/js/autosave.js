/*
 * Autosave for the membership test (evaluation app). Optional: the pages work without it, since
 * every button saves on the server. While the applicant types, the form is posted with fetch to
 * its own URL with the header X-Autosave: 1; the server answers JSON {saved, message} and the
 * message ("Sparat 14:02" / "Saved 14:02") is shown in the form's aria-live region.
 * Files are left out: they are sent with the buttons, not on every keystroke.
 */
(function () {
  "use strict";

  var DELAY_MS = 1500;

  function setUp(form) {
    var status = form.querySelector("[data-autosave-status]");
    var timer = null;
    var inFlight = false;
    var pending = false;

    function show(message, failed) {
      if (!status) { return; }
      status.textContent = message;
      status.classList.toggle("text-danger", Boolean(failed));
    }

    function payload() {
      var data = new FormData(form);
      var names = [];
      data.forEach(function (value, name) {
        if (typeof File !== "undefined" && value instanceof File) { names.push(name); }
      });
      names.forEach(function (name) { data.delete(name); });
      return data;
    }

    function save() {
      timer = null;
      if (inFlight) { pending = true; return; }
      inFlight = true;
      fetch(form.getAttribute("action") || window.location.pathname, {
        method: "POST",
        body: payload(),
        credentials: "same-origin",
        headers: { "X-Autosave": "1", "Accept": "application/json" }
      }).then(function (response) {
        return response.json().catch(function () { return { saved: false, message: "" }; });
      }).then(function (answer) {
        if (answer.message) { show(answer.message, !answer.saved); }
      }).catch(function () {
        // Offline or the server is away: the buttons still save, so say nothing alarming.
        show(form.getAttribute("data-autosave-offline") || "", true);
      }).then(function () {
        inFlight = false;
        if (pending) { pending = false; schedule(); }
      });
    }

    function schedule() {
      if (timer) { window.clearTimeout(timer); }
      timer = window.setTimeout(save, DELAY_MS);
    }

    form.addEventListener("input", function (event) {
      if (event.target && event.target.type !== "file") { schedule(); }
    });
    form.addEventListener("change", function (event) {
      if (event.target && event.target.type !== "file") { schedule(); }
    });
    // A pending autosave must not race the real submit.
    form.addEventListener("submit", function () {
      if (timer) { window.clearTimeout(timer); timer = null; }
    });
  }

  // The error summary takes the focus in error-summary.js, on every page.
  document.querySelectorAll("form[data-autosave]").forEach(setUp);
})();
