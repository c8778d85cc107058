/* The fee calculator, live: asks GET /api/fee as the form changes and fills the result region.
 *
 * The page works without this file: the form is a GET form the server answers. This script only
 * saves the round trip. Texts come from the server (the API answers in the page's language), so
 * nothing here needs translating. Loaded with a <script src> (CSP script-src 'self').
 */
(function () {
  "use strict";

  var form = document.getElementById("fee-form");
  var result = document.getElementById("fee-result");
  if (!form || !result || !window.fetch || !window.URLSearchParams) {
    return;
  }

  var fields = form.elements;
  var select = fields.namedItem("organisation");
  var inhabitants = fields.namedItem("inhabitants");
  var populationFor = fields.namedItem("population_for");
  var year = fields.namedItem("year");
  var referenceNote = document.getElementById("id_inhabitants_reference");
  var empty = result.querySelector('[data-role="empty"]');
  var error = result.querySelector('[data-role="error"]');
  var figures = result.querySelector('[data-role="figures"]');
  var timer = null;
  var latest = 0;

  var summary = document.getElementById("error-summary");
  if (summary) {
    summary.focus();
  }

  function checkedKind() {
    var checked = form.querySelector('input[name="kind"]:checked');
    return checked ? checked.value : "";
  }

  function apiQuery() {
    var params = new URLSearchParams();
    if (year.value.trim()) {
      params.set("year", year.value);
    }
    var code = select.value;
    if (code) {
      params.set("organisation", code);
      // A figure typed for the chosen body replaces its reference figure, as on the server.
      if (populationFor.value === code && inhabitants.value.trim()) {
        params.set("inhabitants", inhabitants.value);
      }
    } else {
      params.set("kind", checkedKind());
      params.set("inhabitants", inhabitants.value);
    }
    params.set("lang", form.getAttribute("data-language") || "sv");
    return params;
  }

  function incomplete() {
    // Nothing to tell yet: no error while the user is still filling the form in.
    return !select.value && (!checkedKind() || !inhabitants.value.trim());
  }

  function show(part) {
    empty.hidden = part !== empty;
    error.hidden = part !== error;
    figures.hidden = part !== figures;
  }

  function setField(name, text) {
    var element = figures.querySelector('[data-field="' + name + '"]');
    if (element) {
      element.textContent = text;
    }
  }

  function clearServerErrors() {
    // The server's messages were about the form as it was sent; the live result replaces them.
    if (summary) {
      summary.hidden = true;
    }
    form.querySelectorAll('[data-role="field-error"]').forEach(function (element) {
      element.hidden = true;
    });
    form.querySelectorAll(".is-invalid").forEach(function (element) {
      element.classList.remove("is-invalid");
      element.removeAttribute("aria-invalid");
    });
  }

  function render(answer) {
    setField("due", answer.text.due);
    setField("exact", answer.text.exact);
    setField("breakdown", answer.breakdown);
    setField("body", answer.text.body);
    setField("year", String(answer.year));
    setField("decision", answer.decision);
    show(figures);
  }

  function update() {
    if (incomplete()) {
      show(empty);
      return;
    }
    var ticket = ++latest;
    var url = form.getAttribute("data-api-url") + "?" + apiQuery().toString();
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.json().then(function (answer) {
          return { ok: response.ok, answer: answer };
        });
      })
      .then(function (reply) {
        if (ticket !== latest) {
          return; // an answer to an older question arrived late
        }
        clearServerErrors();
        if (reply.ok) {
          render(reply.answer);
        } else {
          error.textContent = reply.answer.error || "";
          show(error);
        }
      })
      .catch(function () {
        // Offline or the server is down: the submit button still works.
      });
    if (window.history && window.history.replaceState) {
      // Keep the address in step, so that reloading or sharing shows the same fee.
      var state = new URLSearchParams(new FormData(form));
      window.history.replaceState(null, "", "?" + state.toString());
    }
  }

  function later(delay) {
    window.clearTimeout(timer);
    timer = window.setTimeout(update, delay);
  }

  select.addEventListener("change", function () {
    var option = select.options[select.selectedIndex];
    if (select.value && option) {
      inhabitants.value = option.getAttribute("data-population") || "";
      populationFor.value = select.value;
      referenceNote.textContent = option.getAttribute("data-note") || "";
      referenceNote.hidden = false;
    } else {
      populationFor.value = "";
      referenceNote.textContent = "";
      referenceNote.hidden = true;
    }
    later(0);
  });
  form.addEventListener("input", function (event) {
    if (event.target !== select) {
      later(350);
    }
  });
  form.addEventListener("change", function (event) {
    if (event.target !== select) {
      later(0);
    }
  });
})();
