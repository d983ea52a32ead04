/* Draw each interactive figure from the Vega-Lite spec embedded in its page (the plotted-data CSV's rows,
 * joined at build time to what a hover needs). Vega, Vega-Lite and vega-embed are served from _static/vendor;
 * the embed's menu keeps only the exports, so nothing links to or loads from another host. */
(function () {
  "use strict";
  for (const div of document.querySelectorAll(".twotracks-chart[data-spec]")) {
    const node = document.getElementById(div.dataset.spec);
    if (!node || typeof vegaEmbed !== "function") continue;
    const spec = JSON.parse(node.textContent);
    vegaEmbed(div, spec, {
      renderer: "svg",
      actions: { export: true, source: false, compiled: false, editor: false },
      loader: { target: "_blank" },
      tooltip: { theme: "light" },
    }).then((result) => {
      // the export menu's toggle is an icon: give it a name a screen reader can say
      const summary = div.querySelector("details > summary");
      if (summary && !summary.getAttribute("aria-label")) summary.setAttribute("aria-label", "Export this chart");
      div.dataset.ready = "true"; window.twotracksCharts = (window.twotracksCharts || []).concat([result.view]); })
      .catch((error) => { console.error(error); div.textContent = "The interactive chart could not be drawn: " + error.message; });
  }
})();
