/* icpkit: ages and stale badges counted on the day a page is read, not the day it was built.
   The page holds absolute dates ("29 days ago as of 2026-12-01"), which stay true without
   this script and on paper; this only recounts them. Runs offline: no request is made. */
(function () {
  "use strict";
  var DAY = 86400000;

  function daysSince(iso) {
    var then = Date.parse(iso + "T00:00:00Z");
    if (isNaN(then)) return null;
    var now = new Date();
    // The reader's calendar day, so an age never changes in the middle of their day.
    return Math.round((Date.UTC(now.getFullYear(), now.getMonth(), now.getDate()) - then) / DAY);
  }

  function ago(days) {
    if (days === 0) return "today";
    return days + (days === 1 ? " day" : " days") + " ago";
  }

  function refresh() {
    var ages = document.querySelectorAll("[data-icp-since]");
    for (var i = 0; i < ages.length; i++) {
      var days = daysSince(ages[i].getAttribute("data-icp-since"));
      if (days === null || days < 0) continue;
      ages[i].textContent = ago(days);
    }
    var badges = document.querySelectorAll("[data-icp-stale-since]");
    for (var j = 0; j < badges.length; j++) {
      var age = daysSince(badges[j].getAttribute("data-icp-stale-since"));
      var after = Number(badges[j].getAttribute("data-icp-stale-after"));
      if (age === null || !(after > 0)) continue;
      badges[j].hidden = age <= after;
      badges[j].textContent = "stale: " + age + " days";
    }
  }

  // On a phone a wide table reads as one card per row (icpkit.css): each cell is given
  // its column's name to show beside it. Tables of one or two columns stay tables.
  function labelTables() {
    var tables = document.querySelectorAll(".md-typeset table:not([class])");
    for (var i = 0; i < tables.length; i++) {
      var heads = tables[i].querySelectorAll("thead th");
      if (heads.length < 3 || tables[i].hasAttribute("data-icp-stack")) continue;
      var rows = tables[i].querySelectorAll("tbody tr");
      for (var r = 0; r < rows.length; r++) {
        for (var c = 0; c < rows[r].cells.length && c < heads.length; c++) {
          rows[r].cells[c].setAttribute("data-icp-label", heads[c].textContent.trim());
        }
      }
      tables[i].setAttribute("data-icp-stack", "");
    }
  }

  function refreshAll() {
    refresh();
    labelTables();
  }

  // Material's instant navigation swaps pages without a load event: follow its document$.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(refreshAll);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refreshAll);
  } else {
    refreshAll();
  }
})();
