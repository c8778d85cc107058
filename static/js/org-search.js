// Search as you type on the start page. Progressive enhancement only: without this script the
// search form is a plain GET form and the page lists the matches itself.
(function () {
  "use strict";
  var search = document.querySelector("form.org-search[data-search-url]");
  var results = document.getElementById("org-results");
  if (!search || !results || !window.fetch) {
    return;
  }
  var input = search.querySelector("input[name=q]");
  var list = results.querySelector("[data-results]");
  var count = document.querySelector("[data-count]");
  var timer = null;
  var latest = 0;

  function announce(n) {
    if (!count) {
      return;
    }
    if (n === 0) {
      count.textContent = count.getAttribute("data-none");
    } else if (n === 1) {
      count.textContent = count.getAttribute("data-one");
    } else {
      count.textContent = count.getAttribute("data-many").replace("__N__", String(n));
    }
  }

  function render(items) {
    while (list.firstChild) {
      list.removeChild(list.firstChild);
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      li.className = "form-check";
      var radio = document.createElement("input");
      radio.className = "form-check-input";
      radio.type = "radio";
      radio.name = "organisation";
      radio.value = item.code;
      radio.id = "org-" + item.code;
      radio.checked = items.length === 1;
      var label = document.createElement("label");
      label.className = "form-check-label";
      label.htmlFor = radio.id;
      label.textContent = item.name + " ";
      var detail = document.createElement("span");
      detail.className = "text-muted";
      detail.textContent = "(" + item.detail + ")";
      label.appendChild(detail);
      li.appendChild(radio);
      li.appendChild(label);
      list.appendChild(li);
    });
    results.hidden = items.length === 0;
    var hiddenQuery = document.querySelector(".start-form input[name=q]");
    if (hiddenQuery) {
      hiddenQuery.value = input.value;
    }
    announce(items.length);
  }

  function lookup() {
    var query = input.value.trim();
    if (query.length < 2) {
      return;
    }
    var ticket = ++latest;
    var url = search.getAttribute("data-search-url") + "?q=" + encodeURIComponent(query);
    fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        return response.ok ? response.json() : null;
      })
      .then(function (data) {
        // An older, slower answer must not replace the newest one.
        if (data && ticket === latest) {
          render(data.results);
        }
      })
      .catch(function () {
        // The Search button still works: nothing to do.
      });
  }

  input.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(lookup, 250);
  });
  // Typed before this script ran (a slow connection, a fast typist): search for it now, unless
  // the page already lists the matches of a search sent without JavaScript.
  if (results.hidden) {
    lookup();
  }
})();
