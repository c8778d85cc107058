/*
 * The error summary at the top of a form page (id="error-summary"). It takes the focus when the
 * page loads, so that a screen reader reads it first and the keyboard starts from it; Chromium
 * ignores the summary's autofocus attribute after a form post. Its links move the focus to their
 * field with the field's label (or a radio group's legend) scrolled into view, and leave the
 * address as it is. Chromium does much the same for a plain #anchor; browsers that only scroll
 * to the anchor, or put the field at the top edge above its question, get it from here.
 * Without JavaScript the summary still comes first after the heading and its links still jump.
 */
(function () {
  "use strict";

  var summary = document.getElementById("error-summary");
  if (!summary) { return; }

  function caption(field) {
    var group = field.type === "radio" || field.type === "checkbox" ? field.closest("fieldset") : null;
    var legend = group ? group.querySelector("legend") : null;
    if (legend) { return legend; }
    return field.labels && field.labels.length ? field.labels[0] : field;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    var field = link ? document.getElementById(link.getAttribute("href").slice(1)) : null;
    if (!field) { return; }
    event.preventDefault();
    caption(field).scrollIntoView();
    field.focus({ preventScroll: true });
  });

  summary.focus();
  // A form sent from a page reached by the skip link posts to ".../#main": the browser then moves
  // the focus to main as it finishes loading, after this script. Take it back, unless the user
  // has already moved on.
  window.addEventListener("load", function () {
    var active = document.activeElement;
    if (!active || active === document.body || active.id === "main") { summary.focus(); }
  });
})();
