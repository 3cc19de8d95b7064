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

  // Material's instant navigation swaps pages without a load event: follow its document$.
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(refresh);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", refresh);
  } else {
    refresh();
  }
})();
